package org.flashlab.grader.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.flashlab.grader.baseline.FixedDelayServer;
import org.flashlab.reference.sped.SpedServer;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The open loop's accounting, which must hold on any machine however busy: it never counts more
 * requests than its schedule has in the measured window, it never reports less latency than the
 * server's known service time, and it charges a stall to the requests that were due during it.
 * (How close to the service time it gets is a measurement: `flashlab generator-check`.)
 */
@Timeout(120)
class OpenLoopTest {
    private static final Expected FIXED = Expected.of("fixed".getBytes(StandardCharsets.US_ASCII));

    @TempDir
    Path www;

    private static LoadSpec openLoop(int port, double rate, int connections, Duration duration, Duration warmup) {
        return LoadSpec.closed(URI.create("http://127.0.0.1:" + port + "/")).withConnections(connections, 1)
                .withDuration(duration, warmup).withRate(rate).withExpected(FIXED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void latencyIsNeverBelowTheServiceTimeAndEverySlotIsAnswered(String transport) throws Exception {
        LoadGeneratorTest.usable(transport);
        try (FixedDelayServer server = new FixedDelayServer(Duration.ofMillis(20))) {
            LoadResult r = new LoadGenerator(openLoop(server.port(), 50, 4, Duration.ofSeconds(1), Duration.ofMillis(200)),
                    transport).run();
            assertThat(r.errors().total()).isZero();
            // 4 connections can serve 200 a second at 20 ms each: every one of the 50 slots is answered.
            assertThat(r.requests()).as("exactly the measured window's slots").isEqualTo(50);
            assertThat(r.latency().getMinValue()).as("latency from the intended send time: never below 20 ms")
                    .isGreaterThanOrEqualTo(20_000);
            assertThat(r.schedule()).isNotNull();
            assertThat(r.schedule().sendLag().getTotalCount()).as("one send time per measured slot").isEqualTo(50);
        }
    }

    /**
     * The server stalls through the warm-up, so a backlog of due requests builds; then it answers at
     * once. The old generator sent the backlog as a burst and counted it, achieving more than its
     * target. Now only the window's own slots count, however fast the backlog drains.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aBacklogFromTheWarmUpIsNeverCountedAsThroughput(String transport) throws Exception {
        LoadGeneratorTest.usable(transport);
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try (FixedDelayServer server = new FixedDelayServer(Duration.ofMillis(400))) {
            later.schedule(() -> server.setDelay(Duration.ZERO), 500, TimeUnit.MILLISECONDS);
            double rate = 400;
            LoadResult r = new LoadGenerator(openLoop(server.port(), rate, 8, Duration.ofSeconds(1), Duration.ofMillis(600)),
                    transport).run();
            assertThat(r.requests()).as("at most the window's floor(rate x duration) slots").isLessThanOrEqualTo(400);
            assertThat(r.requestsPerSecond()).as("achieved never above the target").isLessThanOrEqualTo(rate);
            assertThat(r.requests()).as("the server recovered: answers were counted").isPositive();
            assertThat(r.requests() + r.errors().total()).as("each of the window's 400 slots accounted for once: "
                    + "answered, or an error").isEqualTo(400);
        } finally {
            later.shutdownNow();
        }
    }

    /**
     * A server that accepts and then never answers: the run must still end on time, with every one
     * of the window's slots counted as a timeout, none lost and none counted twice.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aServerThatNeverAnswersCostsTimeoutsNotAHang(String transport) throws Exception {
        LoadGeneratorTest.usable(transport);
        try (FixedDelayServer server = new FixedDelayServer(Duration.ofHours(1))) {
            LoadSpec spec = openLoop(server.port(), 100, 4, Duration.ofSeconds(1), Duration.ZERO)
                    .withTimeouts(Duration.ofMillis(300), Duration.ofMillis(100));
            LoadResult r = new LoadGenerator(spec, transport).run();
            assertThat(r.requests()).isZero();
            assertThat(r.errors().timeout()).as(r.errors().toString()).isEqualTo(100);
            assertThat(r.errors().total()).isEqualTo(100);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void withANewConnectionPerRequestEachSlotOpensItsOwn(String transport) throws Exception {
        LoadGeneratorTest.usable(transport);
        Files.writeString(www.resolve("f.txt"), "x".repeat(512));
        try (SpedServer server = new SpedServer(ServerConfig.of(www))) {
            server.start();
            LoadSpec spec = LoadSpec.closed(URI.create("http://127.0.0.1:" + server.port() + "/f.txt"))
                    .withConnections(4, 1).withDuration(Duration.ofSeconds(1), Duration.ofMillis(200))
                    .withKeepAlive(false, 1).withRate(200);
            LoadResult r = new LoadGenerator(spec, transport).run();
            assertThat(r.errors().total()).isZero();
            assertThat(r.requests()).isEqualTo(200);
            assertThat(r.connections()).as("a connection per request").isGreaterThanOrEqualTo(r.requests() - 4);
            assertThat(r.requestsPerSecond()).isLessThanOrEqualTo(200);
        }
    }
}
