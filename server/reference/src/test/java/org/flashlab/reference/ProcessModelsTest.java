package org.flashlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    /**
     * Connections waiting in a dead worker's own accept queue are handed to a live worker
     * (net.ipv4.tcp_migrate_req), not reset. Both iterative workers are first made busy with a
     * kept-alive connection each, so that every later connection waits in some worker's queue; then
     * one worker is killed, the busy connections close, and every waiting request must be answered.
     */
    @Test
    void connectionsWaitingForAWorkerThatDiesGoToALiveOne() throws Exception {
        assumeTrue(java.nio.file.Files.exists(java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_migrate_req")),
                "this kernel has no net.ipv4.tcp_migrate_req (Linux 5.14 and later)");
        try (Supervisor server = mp(2)) {
            server.start();
            assumeTrue(org.flashlab.reference.process.ConnectionMigration.enabled(),
                    "net.ipv4.tcp_migrate_req is off and this user cannot turn it on (the server said so in one line)");
            List<RawClient> busy = new ArrayList<>();
            List<RawClient> waiting = new ArrayList<>();
            try {
                // Until both workers hold a connection: an answered one is held by a worker; an
                // unanswered one waits in the queue of a worker that is already busy.
                for (int i = 0; i < 64 && busy.size() < 2; i++) {
                    RawClient c = new RawClient(server.port());
                    c.send("GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
                    c.socket().setSoTimeout(1_000);
                    try {
                        assertThat(c.read(false).status()).isEqualTo(200);
                        busy.add(c);
                    } catch (java.net.SocketTimeoutException e) {
                        waiting.add(c); // in a busy worker's queue: its request is already sent
                    }
                }
                assertThat(busy).as("connections held by the two workers").hasSize(2);
                for (int i = 0; i < 20; i++) {
                    RawClient c = new RawClient(server.port());
                    c.send("GET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
                    waiting.add(c);
                }
                ProcessHandle.of(server.workerPids().getFirst()).orElseThrow().destroyForcibly(); // SIGKILL
                for (RawClient c : busy) {
                    c.close(); // the live worker is free for its queue, and the dead one's
                }
                // Read them all at once, each closing as soon as it is answered: the live worker serves
                // its queue in its own order, and a kept-alive connection holds it until closed.
                java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(waiting.size());
                List<java.util.concurrent.Future<Boolean>> answers = new ArrayList<>();
                for (RawClient c : waiting) {
                    answers.add(readers.submit(() -> {
                        c.socket().setSoTimeout(30_000);
                        try (c) {
                            return c.read(false).status() == 200;
                        } catch (IOException e) {
                            return false; // reset: the connection was lost with its worker
                        }
                    }));
                }
                int answered = 0;
                for (java.util.concurrent.Future<Boolean> a : answers) {
                    answered += a.get() ? 1 : 0;
                }
                readers.shutdown();
                assertThat(answered).as("waiting requests answered after their worker died (of %d)", waiting.size())
                        .isEqualTo(waiting.size());
            } finally {
                for (RawClient c : busy) {
                    c.close();
                }
                for (RawClient c : waiting) {
                    c.close();
                }
            }
        }
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
