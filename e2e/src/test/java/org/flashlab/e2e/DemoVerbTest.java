package org.flashlab.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flashlab.e2e.Support.QUICK;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

import org.flashlab.contract.ServerProcess;
import org.junit.jupiter.api.Test;

/** `./flashlab demo`, the first command in the README. */
class DemoVerbTest {
    private final FreshCopy copy = FreshCopy.get();

    @Test
    @Verb("demo")
    void checkMeasuresServesTheReportAndStops() {
        FreshCopy.Result r = copy.flashlab(QUICK, "demo", "--check");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).contains("demo (check profile): 4 servers").contains("report.html answered 200")
                .contains("the kit works");
        assertThat(r.stdout() + r.stderr()).as("no terminal escape codes from the build or the JVM").doesNotContain("\u001b[");
    }

    /**
     * With port 8080 taken (by this test, or by whatever already holds it), the demo serves on a free
     * port and says so, where it used to advise "--port 0", which then failed.
     */
    @Test
    void whenTheDefaultPortIsTakenItServesOnAnotherUntilStopped() throws Exception {
        try (ServerSocket holder = holdPort8080()) {
            ServerProcess demo = ServerProcess.start(List.of("env", "-u", "FLASHLAB_PORT", "./flashlab", "demo",
                            "--profile", "check"),
                    copy.root, QUICK);
            try {
                assertThat(demo.port()).isNotEqualTo(8080);
                assertThat(Support.get(demo.port(), "/report.html").statusCode()).isEqualTo(200);
                assertThat(demo.output()).contains("port 8080 is in use; serving on a free port instead")
                        .contains("Open http://127.0.0.1:" + demo.port() + "/report.html");
            } finally {
                assertThat(Support.stop(demo)).isEqualTo(143);
            }
        }
    }

    @Test
    void anExplicitPortIsHonouredAndPortZeroWorks() throws IOException {
        FreshCopy.Result zero = copy.flashlab(QUICK, "demo", "--port", "0", "--check");
        assertThat(zero.exit()).as(zero.describe()).isZero();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            FreshCopy.Result busy = copy.flashlab(QUICK, "demo", "--port", Integer.toString(taken.getLocalPort()), "--check");
            assertThat(busy.exit()).as(busy.describe()).isEqualTo(1);
            assertThat(busy.stderrLines()).as(busy.describe()).hasSize(1);
            assertThat(busy.stderr()).contains("Address already in use").contains("try --port 0");
        }
    }

    /** Binds 127.0.0.1:8080 when it is free; when something else holds it, that serves as well. */
    private static ServerSocket holdPort8080() throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(new InetSocketAddress("127.0.0.1", 8080));
        } catch (BindException alreadyTaken) {
            // taken already, which is the situation under test
        }
        return socket;
    }
}
