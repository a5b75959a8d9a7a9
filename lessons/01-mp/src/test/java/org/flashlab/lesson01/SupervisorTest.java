package org.flashlab.lesson01;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.flashlab.server.JavaCommand;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Tasks 2 to 4: the supervisor starts, replaces, stops and counts its worker processes. */
@Timeout(120)
class SupervisorTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60); // a JVM starting on a busy machine

    @TempDir
    Path docroot;
    private Supervisor supervisor;

    @BeforeEach
    void site() throws IOException {
        Files.writeString(docroot.resolve("index.html"), "hello\n");
    }

    @AfterEach
    void stop() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    private static String get(int port) throws IOException {
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(20_000);
            client.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    @DisplayName("start() runs the workers as processes of their own, all on one port, and they serve")
    void startsWorkers() throws IOException {
        supervisor = new Supervisor(ServerConfig.of(docroot), 3);
        supervisor.start();
        assertThat(supervisor.workers()).as("worker processes alive after start() (hint: README, \"Task 2\")").hasSize(3);
        assertThat(supervisor.workers()).as("every worker is a child of this process (hint: README, \"Task 2\")")
                .allSatisfy(w -> assertThat(w.parent().map(ProcessHandle::pid)).contains(ProcessHandle.current().pid()));
        assertThat(supervisor.port()).as("the port the first worker reported").isPositive();
        assertThat(get(supervisor.port())).as("an answer on that port (hint: README, \"Task 2\")").startsWith("HTTP/1.1 200");
    }

    @Test
    @DisplayName("a worker that dies is replaced, and the port keeps answering")
    void replacesADeadWorker() throws IOException {
        supervisor = new Supervisor(ServerConfig.of(docroot), 2);
        supervisor.start();
        ProcessHandle victim = supervisor.workers().getFirst();
        victim.destroyForcibly(); // as if it crashed
        await("a replacement for worker " + victim.pid()).atMost(PATIENCE).untilAsserted(() ->
                assertThat(supervisor.workers())
                        .as("workers alive after %d was killed (hint: README, \"Task 3\")", victim.pid())
                        .hasSize(2).doesNotContain(victim));
        assertThat(get(supervisor.port())).as("an answer after the replacement").startsWith("HTTP/1.1 200");
    }

    @Test
    @DisplayName("close() leaves no worker behind")
    void closeLeavesNoOrphan() throws IOException {
        supervisor = new Supervisor(ServerConfig.of(docroot), 2);
        supervisor.start();
        List<ProcessHandle> workers = supervisor.workers();
        supervisor.close();
        assertThat(workers).as("worker processes alive after close() returned (hint: README, \"Task 3\")")
                .noneMatch(ProcessHandle::isAlive);
    }

    @Test
    @DisplayName("a worker whose parent dies exits by itself (its stdin pipe reaches end-of-file)")
    void workerExitsWhenOrphaned() throws Exception {
        Process worker = new ProcessBuilder(JavaCommand.of(Worker.class.getName(),
                List.of("--port", "0", "--docroot", docroot.toString(), "--idle-timeout", "5")))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String first = new java.io.BufferedReader(new java.io.InputStreamReader(worker.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
            assertThat(first).as("the worker's first line (hint: README, \"Task 1\")").startsWith("Listening on http://");
            worker.getOutputStream().close(); // what the kernel does to the pipe when the parent dies
            await("the worker to exit once its stdin reached end-of-file (hint: README, \"Who stops a worker?\")")
                    .atMost(PATIENCE).until(() -> !worker.isAlive());
        } finally {
            worker.destroyForcibly();
        }
    }

    @Test
    @DisplayName("served() adds up what every worker reported: 10 connections, 10 served")
    void countsAcrossProcesses() throws IOException {
        supervisor = new Supervisor(ServerConfig.of(docroot), 2);
        supervisor.start();
        for (int i = 0; i < 10; i++) {
            assertThat(get(supervisor.port())).startsWith("HTTP/1.1 200");
        }
        await("the workers' reports").atMost(PATIENCE).untilAsserted(() ->
                assertThat(supervisor.served()).as("connections served, summed over the workers (hint: README, \"Task 4\")")
                        .isEqualTo(10));
    }
}
