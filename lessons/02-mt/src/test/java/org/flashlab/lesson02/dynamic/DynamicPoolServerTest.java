package org.flashlab.lesson02.dynamic;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Task 4: a pool that grows with the load, refuses beyond its maximum, and shrinks when idle. */
@Timeout(60)
class DynamicPoolServerTest {
    private static final String HINT = " (hint: README, \"Task 4\")";

    @TempDir
    Path docroot;

    @BeforeEach
    void site() throws IOException {
        Files.writeString(docroot.resolve("index.html"), "hello\n");
    }

    private ServerConfig config() {
        return ServerConfig.of(docroot).withIdleTimeout(Duration.ofSeconds(60));
    }

    @Test
    @DisplayName("grows past its core size when connections hold its threads, and shrinks back when they leave")
    void growsAndShrinks() throws IOException {
        try (DynamicPoolServer server = new DynamicPoolServer(config(), 1, 8, Duration.ofMillis(200))) {
            server.start();
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(Clients.idle(server.port()));
                }
                await("the pool to grow").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(server.busyThreads()).as("busy threads in a pool of core 1 while 3 connections "
                                + "hold one each" + HINT).isEqualTo(3));
                assertThat(Clients.get(server.port(), "/")).as("a fourth client's answer" + HINT).startsWith("HTTP/1.1 200");
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            await("the pool's threads to count every connection").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(server.hits().get()).as("connections served: three held ones and one request" + HINT)
                            .isEqualTo(4));
            await("the pool to shrink after 200 ms idle").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(server.poolSize()).as("threads once every connection has left and the idle time "
                            + "has passed: back to core" + HINT).isEqualTo(1));
        }
    }

    @Test
    @DisplayName("with every thread busy, a new connection is refused at once with 503")
    void refusesBeyondMax() throws IOException {
        try (DynamicPoolServer server = new DynamicPoolServer(config(), 1, 2, Duration.ofSeconds(30))) {
            server.start();
            try (Socket a = Clients.idle(server.port()); Socket b = Clients.idle(server.port())) {
                await("both threads to be busy").atMost(Duration.ofSeconds(30))
                        .until(() -> server.busyThreads() == 2);
                assertThat(Clients.get(server.port(), "/"))
                        .as("the answer to a third connection while both of the pool's 2 threads are busy" + HINT)
                        .startsWith("HTTP/1.1 503 Service Unavailable");
            }
        }
    }
}
