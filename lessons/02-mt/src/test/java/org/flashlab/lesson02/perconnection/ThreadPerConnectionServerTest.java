package org.flashlab.lesson02.perconnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.flashlab.lesson02.Clients;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Task 2: a thread per connection. */
@Timeout(60)
class ThreadPerConnectionServerTest {
    private static final String HINT = " (hint: README, \"Task 2\")";

    @TempDir
    Path docroot;

    @Test
    @DisplayName("three idle connections do not keep a fourth client waiting, and every connection is counted")
    void idleConnectionsDoNotBlockOthers() throws IOException {
        Files.writeString(docroot.resolve("index.html"), "hello\n");
        try (ThreadPerConnectionServer server = new ThreadPerConnectionServer(
                ServerConfig.of(docroot).withIdleTimeout(Duration.ofSeconds(60)))) {
            server.start();
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    idle.add(Clients.idle(server.port())); // each holds its own thread, reading
                }
                assertThat(Clients.get(server.port(), "/")).as("the fourth client's answer while three connections "
                        + "sit idle (a one-at-a-time server would still be waiting on the first)" + HINT)
                        .startsWith("HTTP/1.1 200");
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
            await("the idle connections' threads to count them").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(server.hits().get()).as("connections served: three idle ones and one request" + HINT)
                            .isEqualTo(4));
        }
    }
}
