package org.flashlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.flashlab.contract.RawClient;
import org.flashlab.contract.ServerProcess;
import org.flashlab.reference.process.ChildJvm;
import org.flashlab.reference.process.Supervisor;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** MP's supervisor: workers that die are replaced, and no worker outlives the supervisor. */
@Timeout(180)
class ProcessModelsTest {
    @TempDir
    Path www;

    @BeforeEach
    void site() throws IOException {
        Files.writeString(www.resolve("hello.txt"), "hello\n");
    }

    private Supervisor mp(int workers) {
        return new Supervisor("mp", ServerConfig.of(www), workers, "iterative", List.of());
    }

    @Test
    void aWorkerKilledUnderLoadIsReplaced() throws Exception {
        try (Supervisor server = mp(2)) {
            server.start();
            List<Long> before = server.workerPids();
            assertThat(before).hasSize(2);
            AtomicBoolean loading = new AtomicBoolean(true);
            AtomicInteger ok = new AtomicInteger();
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 2_000_000 && loading.get(); i++) { // bounded in count; stopped below
                    try (RawClient client = new RawClient(server.port())) {
                        if (client.get("/hello.txt").status() == 200) {
                            ok.incrementAndGet();
                        }
                    } catch (IOException e) {
                        // the killed worker's connections reset: expected while it is replaced
                    }
                    // Paced load: a 2-core machine must keep room to start the replacement JVM.
                    LockSupport.parkNanos(1_000_000);
                }
            });
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> ok.get() >= 50);
                ProcessHandle victim = ProcessHandle.of(before.getFirst()).orElseThrow();
                victim.destroyForcibly(); // SIGKILL
                await("a replacement worker").atMost(Duration.ofSeconds(60)).until(() -> {
                    List<Long> now = server.workerPids();
                    return now.size() == 2 && !now.contains(victim.pid());
                });
                int served = ok.get();
                await("requests served after the replacement").atMost(Duration.ofSeconds(30)).until(() -> ok.get() > served + 50);
            } finally {
                loading.set(false);
                load.join();
            }
            try (RawClient client = new RawClient(server.port())) {
                assertThat(client.get("/hello.txt").bodyText()).isEqualTo("hello\n");
            }
        }
    }

    @Test
    void closingTheSupervisorStopsEveryWorker() throws IOException {
        Supervisor server = mp(2);
        server.start();
        List<ProcessHandle> workers = server.workerPids().stream().map(p -> ProcessHandle.of(p).orElseThrow()).toList();
        server.close();
        assertThat(workers).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void workersExitWhenTheSupervisorIsKilled() {
        List<String> command = ChildJvm.command(Main.class, List.of("--model", "mp", "--workers", "2",
                "--port", "0", "--docroot", www.toString()));
        try (ServerProcess supervisor = ServerProcess.start(command, null, Duration.ofSeconds(90))) {
            List<ProcessHandle> workers = supervisor.process().descendants().toList();
            assertThat(workers).as("worker processes").hasSize(2);
            supervisor.process().toHandle().destroyForcibly(); // SIGKILL: no shutdown hook runs
            await("orphaned workers to notice and exit").atMost(Duration.ofSeconds(30))
                    .until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
        }
    }
}
