package org.flashlab.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.flashlab.files.DiskGate;
import org.flashlab.files.SimulatedDisk;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Architecture conformance: is the server the architecture it claims? The contract suite
 * ({@link ServerContract}) checks what a client sees; these checks look at how the server gets
 * there, from outside: its threads and processes in /proc, what one slow client does to the others,
 * and what a read from the (emulated) disk does to its event loop. To run them, extend this class,
 * say what the server claims, and how to start it:
 *
 * <pre>
 *   class MySpedConformanceTest extends ArchitectureConformance {
 *       protected Shape shape() { return Shape.eventLoop(); }
 *       protected ServerUnderTest start(ServerConfig config) throws Exception {
 *           return InProcessServer.start(new MySpedServer(config));
 *       }
 *   }
 * </pre>
 *
 * The configuration carries an emulated disk ({@link SimulatedDisk}) with a gate ({@link DiskGate}):
 * the disk checks hold one read at the gate and ask for a cached file meanwhile. Nothing is judged by
 * the clock: a check sees what arrives and in what order. A server that stalls gets
 * {@link #STALLED} to answer, which is long for a request served from memory, and fails then.
 *
 * Every failure says what was expected, what was seen, and why it matters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class ArchitectureConformance {
    /** The suite's client threads are named so, and never counted as the server's. */
    public static final String CLIENT_THREADS = "conformance-client";
    /** Open connections while threads and processes are counted. */
    public static final int IDLE_CONNECTIONS = 500;
    /** How long a request for a file in memory may take before the check calls the server stalled. */
    public static final Duration STALLED = Duration.ofSeconds(10);

    private static final int BIG = 16 * 1024 * 1024; // more than any socket buffer holds
    private static final int COLD = 256 * 1024;
    private static final String HOT_TEXT = "served from memory\n";

    private Path dir;
    private Path site;
    private Path gate;
    private ServerUnderTest server;

    /** What the server claims to be. */
    protected abstract Shape shape();

    /**
     * Starts the server with this configuration (loopback, port 0, the suite's site, a 60 s idle
     * timeout, an emulated disk with a gate) and returns once it accepts connections.
     */
    protected abstract ServerUnderTest start(ServerConfig config) throws Exception;

    @BeforeAll
    void startServer() throws Exception {
        dir = Files.createTempDirectory("flashlab-conformance-");
        site = Files.createDirectory(dir.resolve("www"));
        gate = dir.resolve("disk.gate");
        Files.writeString(site.resolve("hot.txt"), HOT_TEXT);
        Random random = new Random(1999);
        byte[] big = new byte[BIG];
        random.nextBytes(big);
        Files.write(site.resolve("big.bin"), big);
        for (String name : List.of("cold-data.bin", "cold-path.bin")) {
            byte[] cold = new byte[COLD];
            random.nextBytes(cold);
            Files.write(site.resolve(name), cold);
        }
        ServerConfig config = ServerConfig.of(site).withIdleTimeout(Duration.ofSeconds(60))
                .withSimulatedDisk(new SimulatedDisk(256L * 1024 * 1024, Duration.ZERO, new DiskGate(gate)));
        server = start(config);
    }

    @AfterAll
    void stopServer() throws IOException {
        try {
            Files.deleteIfExists(gate); // never leave a read held
            if (server != null) {
                server.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The emulated disk's gate: a check creates it to hold reads, and deletes it to release them. */
    protected Path gate() {
        return gate;
    }

    // ---------------------------------------------------------------- threads and processes

    @Test
    @DisplayName("threads and processes match the claim under 500 open connections and a load")
    void threadsAndProcessesMatchTheClaim() throws Exception {
        assumeTrue(ProcessView.available(), "counts threads and processes in /proc, which this system does not have");
        Shape shape = shape();
        List<RawClient> idle = new ArrayList<>();
        try {
            for (int i = 0; i < IDLE_CONNECTIONS; i++) {
                idle.add(new RawClient(server.port()));
            }
            if (shape.concurrent()) {
                // Each connection asks once and stays open: a thread-per-connection server now has
                // a thread on each, an event loop has them all in one selector.
                for (RawClient c : idle) {
                    c.send("GET /hot.txt HTTP/1.1\r\nHost: conformance\r\n\r\n");
                }
                for (int i = 0; i < idle.size(); i++) {
                    RawResponse r = answerOrFail(idle.get(i), "connection " + (i + 1) + " of " + IDLE_CONNECTIONS);
                    assertThat(r.status()).as("connection %d of %d: status", i + 1, IDLE_CONNECTIONS).isEqualTo(200);
                }
                activeLoad();
            }
            List<String> threads = server.servingThreads();
            List<ProcessHandle> children = server.children();
            String seen = threads.size() + " serving threads " + summary(threads) + " and " + children.size()
                    + " child processes, with " + IDLE_CONNECTIONS + " connections open";
            if (shape.maxThreads() > 0 && threads.size() > shape.maxThreads()) {
                fail("Expected %s to serve with at most %s; saw %s. Threads that grow with connections, "
                        + "or a pool behind the loop, make it a threaded server under another name: each thread "
                        + "costs a stack and a context switch, which is what an event-driven design avoids.",
                        shape.name(), shape.maxThreads() == 1 ? "1 thread" : shape.maxThreads() + " threads", seen);
            }
            if (shape.growsWithConnections() && threads.size() < IDLE_CONNECTIONS * 9 / 10) {
                fail("Expected %s to have about one thread per open connection; saw %s. If a pool serves them, "
                        + "claim a pool; if one thread does, claim an event loop.", shape.name(), seen);
            }
            if (shape.workerProcesses() > 0 && children.size() != shape.workerProcesses()) {
                fail("Expected %s, each a child process of the server; saw %s. A multi-process server starts its "
                        + "workers as processes; threads in one process share its memory and its crashes, which is "
                        + "what MP avoids.", shape.name(), seen);
            }
            if (shape.workerProcesses() == 0 && children.size() > shape.maxHelperProcesses()) {
                fail("Expected %s to start %s; saw %s.", shape.name(),
                        shape.maxHelperProcesses() == 0 ? "no other process" : "at most " + shape.maxHelperProcesses()
                                + " helper processes", seen);
            }
        } finally {
            for (RawClient c : idle) {
                c.close();
            }
        }
    }

    /** Four clients, 25 requests each on new connections, while the idle ones stay open. */
    private void activeLoad() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(4, Thread.ofPlatform().name(CLIENT_THREADS + "-", 0).factory());
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(clients.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 25; i++) {
                        try (RawClient c = new RawClient(server.port())) {
                            ok += c.get("/hot.txt").status() == 200 ? 1 : 0;
                        }
                    }
                    return ok;
                }));
            }
            int ok = 0;
            for (Future<Integer> f : done) {
                ok += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(ok).as("requests of the active load answered with 200, while %d connections sat open",
                    IDLE_CONNECTIONS).isEqualTo(100);
        } finally {
            clients.shutdownNow();
        }
    }

    private static String summary(List<String> threads) {
        return threads.stream().distinct().limit(5).toList() + (threads.stream().distinct().count() > 5 ? "..." : "");
    }

    // ---------------------------------------------------------------- slow clients

    @Test
    @DisplayName("a client that sends half a request stalls no one")
    void aHalfRequestStallsNoOne() throws Exception {
        assumeConcurrent();
        try (RawClient slow = new RawClient(server.port())) {
            // First in the accept queue: a server that takes one connection at a time takes this one
            // first, and then waits for the rest of its request. Luck cannot reorder it.
            slow.send("GET /hot.txt HTTP/1.1\r\nHost: conformance\r\n");
            threeOthersAreAnswered("client 1 had sent half of its request", "The server waits for one slow client and "
                    + "everyone waits with it: a server that reads a connection to the end before serving another cannot "
                    + "serve a slow network.");
            slow.send("\r\n");
            assertThat(answerOrFail(slow, "the slow client, once its request was complete").bodyText())
                    .as("the slow client's request, completed last, is answered too").isEqualTo(HOT_TEXT);
        }
    }

    @Test
    @DisplayName("a client that stops reading a large response stalls no one")
    void aClientThatStopsReadingStallsNoOne() throws Exception {
        assumeConcurrent();
        try (RawClient reader = new RawClient(server.port(), 4096)) {
            reader.send("GET /big.bin HTTP/1.1\r\nHost: conformance\r\n\r\n"); // and then reads nothing for now
            // Its response has begun: whatever serves client 1 is now writing to it, and soon stuck.
            try {
                await("the first bytes of the large response").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(5)).until(() -> reader.input().available() > 0);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                fail("Expected the 16 MB response to client 1 to begin; nothing came in 30 s.");
            }
            threeOthersAreAnswered("client 1 was not reading its 16 MB response", "A write to a full socket blocks: "
                    + "a server whose one thread (or one lock) waits there lets one slow reader stop everyone.");
            RawResponse big = answerOrFail(reader, "the slow reader, once it read");
            assertThat(big.body().length).as("bytes of the large response, read late").isEqualTo(BIG);
        }
    }

    /** Clients 2 to 4, each on a connection of its own, must get the cached file while client 1 dawdles. */
    private void threeOthersAreAnswered(String whileWhat, String why) throws IOException {
        for (int i = 2; i <= 4; i++) {
            try (RawClient other = new RawClient(server.port())) {
                other.send("GET /hot.txt HTTP/1.1\r\nHost: conformance\r\n\r\n");
                RawResponse r = answerOrStall(other, "Expected the request of client " + i + " to be answered while "
                        + whileWhat + "; nothing came in " + STALLED.toSeconds() + " s. " + why);
                assertThat(r.bodyText()).isEqualTo(HOT_TEXT);
            }
        }
    }

    private void assumeConcurrent() {
        assumeTrue(shape().concurrent(), shape().name() + " serves one connection at a time per process, by design: "
                + "one slow client holds it up, and that is the lesson this check would only repeat");
    }

    // ---------------------------------------------------------------- the disk

    @Test
    @DisplayName("the event loop serves cached files while a file's bytes are read from disk")
    void theLoopNeverWaitsForData() throws Exception {
        assumeDiskClaim();
        warmHotFile();
        try (RawClient head = new RawClient(server.port())) {
            // Its path and metadata now in memory, its bytes not: only the read can wait.
            head.send("HEAD /cold-data.bin HTTP/1.1\r\nHost: conformance\r\n\r\n");
            assertThat(head.read(true).status()).isEqualTo(200);
        }
        holdAReadAndServeTheCache("/cold-data.bin", "data",
                "reading a file's bytes from disk (a page-cache miss)");
    }

    @Test
    @DisplayName("the event loop serves cached files while a path is looked up on disk")
    void theLoopNeverWaitsForAPathLookup() throws Exception {
        assumeDiskClaim();
        warmHotFile();
        holdAReadAndServeTheCache("/cold-path.bin", "metadata",
                "translating a path that is not in the pathname cache (directory lookups and a stat on disk)");
    }

    private void assumeDiskClaim() {
        assumeTrue(shape().loopNeverWaitsForDisk(), shape().name() + " does not claim that its loop never waits for "
                + "the disk (only AMTED and AMPED do; SPED's loop waits, which is the lesson of the helpers)");
    }

    private void warmHotFile() throws IOException {
        try (RawClient warm = new RawClient(server.port())) {
            for (int i = 0; i < 2; i++) {
                assertThat(warm.get("/hot.txt").bodyText()).isEqualTo(HOT_TEXT);
            }
        }
    }

    private void holdAReadAndServeTheCache(String coldTarget, String kind, String what) throws Exception {
        Files.createFile(gate);
        try (RawClient cold = new RawClient(server.port())) {
            cold.send("GET " + coldTarget + " HTTP/1.1\r\nHost: conformance\r\n\r\n");
            try {
                await("a " + kind + " read of " + coldTarget + " to reach the emulated disk's gate")
                        .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                        .until(() -> gateLog().contains(kind + " "));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                fail("Expected the request for %s to wait at the emulated disk (%s); it never did. Does the server "
                        + "use the configuration's emulated disk (ServerConfig.simulatedDisk, through the shared "
                        + "handler and ResponseWriter)? Gate log: %s", coldTarget, what, gateLog());
            }
            try (RawClient hot = new RawClient(server.port())) {
                hot.send("GET /hot.txt HTTP/1.1\r\nHost: conformance\r\n\r\n");
                RawResponse r = answerOrStall(hot, "Expected a file already in memory to be served while another "
                        + "request waited for " + what + "; nothing came in " + STALLED.toSeconds() + " s. The thread "
                        + "that serves every connection is the one waiting (" + gateLog().strip() + "): that is "
                        + "SPED's weakness, and the point of AMTED's and AMPED's helpers is that the loop hands "
                        + "every such wait to a helper and goes on.");
                assertThat(r.bodyText()).isEqualTo(HOT_TEXT);
            }
            assertThat(cold.input().available())
                    .as("the cold request is still held at the gate when the cached file has arrived").isZero();
            Files.delete(gate);
            RawResponse r = answerOrFail(cold, "the cold request, once the disk's gate opened");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).as("bytes of %s", coldTarget).isEqualTo(Files.readAllBytes(site.resolve(coldTarget.substring(1))));
        } finally {
            Files.deleteIfExists(gate);
        }
    }

    private String gateLog() {
        try {
            return Files.exists(gate) ? Files.readString(gate, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- reading answers

    /** Reads a response that must come within {@link #STALLED}; fails with {@code stalled} if it does not. */
    private static RawResponse answerOrStall(RawClient client, String stalled) throws IOException {
        client.socket().setSoTimeout((int) STALLED.toMillis());
        try {
            return client.read(false);
        } catch (SocketTimeoutException e) {
            return fail(stalled);
        }
    }

    private static RawResponse answerOrFail(RawClient client, String which) throws IOException {
        return answerOrStall(client, "Expected an answer for " + which + "; nothing came in " + STALLED.toSeconds()
                + " s. Something holds this connection up: look for a lock, a full pool, or a blocking call on the "
                + "thread that should serve it.");
    }
}
