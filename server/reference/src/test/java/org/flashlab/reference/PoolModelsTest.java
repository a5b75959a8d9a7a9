package org.flashlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.flashlab.contract.RawClient;
import org.flashlab.reference.mtdynamic.DynamicPoolServer;
import org.flashlab.reference.mtpool.PoolServer;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The thread pools' policies: a full boss/worker queue refuses with 503; the dynamic pool breathes. */
@Timeout(120)
class PoolModelsTest {
    @TempDir
    Path www;

    @BeforeEach
    void site() throws IOException {
        Files.writeString(www.resolve("hello.txt"), "hello\n");
    }

    private ServerConfig config() {
        return ServerConfig.of(www).withIdleTimeout(Duration.ofSeconds(60));
    }

    @Test
    void aFullPoolQueueIsRefusedWith503() throws IOException {
        try (PoolServer server = new PoolServer(config(), 1, 1)) {
            server.start();
            try (RawClient busy = new RawClient(server.port())) {
                assertThat(busy.get("/hello.txt").status()).as("holds the only worker, kept alive").isEqualTo(200);
                try (RawClient waiting = new RawClient(server.port())) {
                    await("the second connection to wait in the queue").atMost(Duration.ofSeconds(30))
                            .until(() -> server.queued() == 1);
                    try (RawClient refused = new RawClient(server.port())) {
                        var response = refused.read(false);
                        assertThat(response.status()).isEqualTo(503);
                        assertThat(response.header("Connection")).isEqualTo("close");
                    }
                    busy.close(); // frees the worker for the queued connection
                    assertThat(waiting.get("/hello.txt").bodyText()).isEqualTo("hello\n");
                }
            }
        }
    }

    @Test
    void theDynamicPoolGrowsUnderLoadAndShrinksWhenIdle() throws IOException {
        try (DynamicPoolServer server = new DynamicPoolServer(config(), 1, 2, 64)) {
            server.start();
            assertThat(server.threads()).isEqualTo(1);
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    RawClient client = new RawClient(server.port());
                    clients.add(client);
                    assertThat(client.get("/hello.txt").status()).isEqualTo(200); // each now holds a thread
                }
                assertThat(server.threads()).as("one thread per kept-alive connection, plus spares").isGreaterThanOrEqualTo(20);
            } finally {
                for (RawClient client : clients) {
                    client.close();
                }
            }
            await("idle threads above max spare to retire").atMost(Duration.ofSeconds(30))
                    .until(() -> server.threads() <= 3);
        }
    }
}
