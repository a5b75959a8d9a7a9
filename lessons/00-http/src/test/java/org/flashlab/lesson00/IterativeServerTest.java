package org.flashlab.lesson00;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Task 1: what the contract cannot see from outside: close() ends the server's thread before it returns. */
@Timeout(30)
class IterativeServerTest {
    private static final String HINT = " (hint: README, \"Task 1\")";

    @TempDir
    Path docroot;

    @Test
    @DisplayName("close() wakes the thread serving a kept-alive connection, and returns when it has ended")
    void closeWakesTheServingThread() throws IOException {
        Files.writeString(docroot.resolve("index.html"), "hello\n");
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        IterativeServer server = new IterativeServer(ServerConfig.of(docroot).withIdleTimeout(Duration.ofSeconds(60)));
        server.start();
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();
            String answer = "";
            while (!answer.endsWith("hello\n")) { // the whole answer; the connection stays open (keep-alive)
                int b = in.read();
                assertThat(b).as("the answer's bytes" + HINT).isNotNegative();
                answer += (char) b;
            }
            // The server's thread now waits, for up to 60 s, for this client's next request.
            server.close();
            assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                    .filter(Thread::isAlive).map(Thread::getName).filter(n -> n.equals("iterative")))
                    .as("the server's thread right after close() returned: close the connection it waits on, "
                            + "then join it" + HINT).isEmpty();
            assertThat(in.read()).as("what the client reads after close()" + HINT).isEqualTo(-1);
        } catch (java.net.SocketException reset) {
            // A reset also tells the client its connection is gone.
        }
    }
}
