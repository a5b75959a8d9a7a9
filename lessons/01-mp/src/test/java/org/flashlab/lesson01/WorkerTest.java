package org.flashlab.lesson01;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task 1: a worker, tested in this JVM (in a thread, not a process) so that a failure shows a
 * stack trace you can follow.
 */
@Timeout(60)
class WorkerTest {
    private static final String HINT = " (hint: README, \"Task 1\")";

    @TempDir
    Path docroot;

    @Test
    @DisplayName("two listeners bind the same port: that is what lets every worker share it")
    void workersShareThePort() throws IOException {
        ServerConfig config = ServerConfig.of(docroot);
        try (ServerSocketChannel first = Worker.listen(config)) {
            int port = ((java.net.InetSocketAddress) first.getLocalAddress()).getPort();
            try (ServerSocketChannel second = Worker.listen(config.withPort(port))) {
                assertThat(((java.net.InetSocketAddress) second.getLocalAddress()).getPort())
                        .as("the second worker's port, bound while the first still listens on it" + HINT)
                        .isEqualTo(port);
            }
        }
    }

    @Test
    @DisplayName("serves connections one after another and reports \"served N\" after each")
    void servesAndReports() throws Exception {
        Files.writeString(docroot.resolve("index.html"), "hello\n");
        ServerConfig config = ServerConfig.of(docroot).withIdleTimeout(Duration.ofSeconds(5));
        ByteArrayOutputStream reports = new ByteArrayOutputStream();
        PrintStream report = new PrintStream(reports, true, StandardCharsets.UTF_8);
        ServerSocketChannel listener = Worker.listen(config);
        int port = ((java.net.InetSocketAddress) listener.getLocalAddress()).getPort();
        Thread worker = Thread.ofPlatform().name("worker-under-test").start(() -> {
            try {
                new Worker(config, report).serve(listener);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            for (int i = 0; i < 3; i++) {
                try (Socket client = new Socket("127.0.0.1", port)) {
                    client.setSoTimeout(10_000);
                    client.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    String answer = new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                    assertThat(answer).as("connection %d's answer" + HINT, i + 1).startsWith("HTTP/1.1 200").endsWith("hello\n");
                }
            }
            await("the worker's third report").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(reports.toString(StandardCharsets.UTF_8).lines().toList())
                            .as("the lines the worker printed after 3 connections" + HINT)
                            .containsExactly("served 1", "served 2", "served 3"));
        } finally {
            listener.close(); // serve() returns when its listener is closed
            worker.join(10_000);
        }
        assertThat(worker.isAlive()).as("serve() returned once its listener was closed" + HINT).isFalse();
    }
}
