package org.flashlab.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flashlab.e2e.Support.QUICK;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;

import org.flashlab.contract.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** `./flashlab server`: it serves, it stops on SIGTERM, and every mistake is one clear line. */
class ServerVerbTest {
    private final FreshCopy copy = FreshCopy.get();

    @Test
    @Verb("server")
    void servesTheSampleSiteUntilStopped() throws Exception {
        ServerProcess server = Support.start(copy, "server", "--model", "sped", "--port", "0", "--docroot", "server/sample-site");
        try {
            HttpResponse<String> home = Support.get(server.port(), "/");
            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(home.body()).containsIgnoringCase("<html");
            assertThat(Support.get(server.port(), "/no-such-page").statusCode()).isEqualTo(404);
        } finally {
            assertThat(Support.stop(server)).as("SIGTERM: a clean stop, with the JVM's status for it")
                    .isEqualTo(143);
        }
        assertThat(server.output()).contains("flashlab server: model sped").doesNotContain("Exception");
    }

    @Test
    void helpListsTheModelsAndVersionNamesTheKit() {
        FreshCopy.Result help = copy.flashlab(QUICK, "server", "--help");
        assertThat(help.exit()).as(help.describe()).isZero();
        assertThat(help.stdout()).contains("amped", "nsped", "--sim-disk-cache-mb");
        FreshCopy.Result version = copy.flashlab(QUICK, "server", "--version");
        assertThat(version.exit()).as(version.describe()).isZero();
        assertThat(version.stdout()).startsWith("flashlab server 0.").contains("Java 25");
    }

    @Test
    void anUnknownOptionIsReportedBeforeAMissingOneAndWithoutTheWholeHelp() {
        FreshCopy.Result r = copy.flashlab(QUICK, "server", "--frob");
        assertThat(r.exit()).as(r.describe()).isEqualTo(2);
        assertThat(r.stderrLines()).as(r.describe()).first().isEqualTo("flashlab server: Unknown option: '--frob'");
        assertThat(r.stderr()).contains("Try 'flashlab server --help'").doesNotContain("Usage:").doesNotContain("Missing required option");
    }

    @Test
    void aPortOutOfRangeIsAUsageErrorNotAStackTrace() {
        FreshCopy.Result r = copy.flashlab(QUICK, "server", "--port", "99999", "--docroot", "server/sample-site");
        assertThat(r.exit()).as(r.describe()).isEqualTo(2);
        assertThat(r.stderrLines()).as(r.describe()).containsExactly(
                "flashlab server: --port must be from 0 to 65535 (0 picks a free port), not 99999",
                "Try 'flashlab server --help' for more information.");
    }

    /** The process models used to print a stack trace after the worker's clear message. */
    @ParameterizedTest
    @ValueSource(strings = {"sped", "mp", "nsped"})
    void aPortInUseIsOneLine(String model) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            FreshCopy.Result r = copy.flashlab(QUICK, "server", "--model", model, "--port",
                    Integer.toString(taken.getLocalPort()), "--docroot", "server/sample-site");
            assertThat(r.exit()).as(r.describe()).isEqualTo(1);
            assertThat(r.stderrLines()).as(r.describe()).hasSize(1);
            assertThat(r.stderr()).contains("Address already in use").contains("try --port 0");
        }
    }
}
