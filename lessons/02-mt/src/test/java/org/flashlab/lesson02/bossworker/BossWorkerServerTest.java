package org.flashlab.lesson02.bossworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.flashlab.lesson02.Clients;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Task 3: boss and workers, with a bounded queue between them. */
@Timeout(60)
class BossWorkerServerTest {
    private static final String HINT = " (hint: README, \"Task 3\")";

    @TempDir
    Path docroot;

    @Test
    @DisplayName("with its one worker busy, a connection waits in the queue, and is served when the worker is free")
    void queuedUntilAWorkerIsFree() throws IOException {
        Files.writeString(docroot.resolve("index.html"), "hello\n");
        try (BossWorkerServer server = new BossWorkerServer(ServerConfig.of(docroot)
                .withIdleTimeout(Duration.ofSeconds(60)), 1, 4)) {
            server.start();
            // The only worker takes this one (the kernel hands connections to accept() in order) and
            // waits for a request that never comes.
            Socket busy = Clients.idle(server.port());
            try (Socket waiting = new Socket("127.0.0.1", server.port())) {
                waiting.setSoTimeout(20_000);
                waiting.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                await("the boss to queue the second connection").atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(server.queued())
                                .as("connections in the queue while the only worker is busy" + HINT).isEqualTo(1));
                InputStream in = waiting.getInputStream();
                assertThat(in.available()).as("bytes answered to the queued connection while the only worker is "
                        + "still busy with the first" + HINT).isZero();
                busy.close(); // the worker is free: it takes the queued connection
                assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
                        .as("the queued connection's answer once the worker was free" + HINT).startsWith("HTTP/1.1 200");
            } finally {
                busy.close();
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(server.hits().get()).as("connections served" + HINT).isEqualTo(2));
        }
    }

    @Test
    @DisplayName("20 clients at once are all served by 4 workers")
    void manyClientsFewWorkers() throws Exception {
        Files.writeString(docroot.resolve("index.html"), "hello\n");
        try (BossWorkerServer server = new BossWorkerServer(ServerConfig.of(docroot), 4, 8)) {
            server.start();
            var pool = java.util.concurrent.Executors.newFixedThreadPool(20);
            try {
                var answers = new java.util.ArrayList<java.util.concurrent.Future<String>>();
                for (int i = 0; i < 20; i++) {
                    answers.add(pool.submit(() -> Clients.get(server.port(), "/")));
                }
                for (var a : answers) {
                    assertThat(a.get()).as("every client's answer" + HINT).startsWith("HTTP/1.1 200");
                }
            } finally {
                pool.shutdownNow();
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(server.hits().get()).as("connections served, counted by 4 threads at once" + HINT)
                            .isEqualTo(20));
        }
    }
}
