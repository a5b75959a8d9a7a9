package org.flashlab.grader.load;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.core.Options;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import org.flashlab.cli.Cli;
import org.flashlab.reference.sped.SpedServer;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's accounting, proved against WireMock injecting delays and faults, and against
 * the reference SPED server for the happy paths.
 */
@Timeout(120)
class LoadGeneratorTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                    .useChunkedTransferEncoding(Options.ChunkedEncodingPolicy.NEVER))
            .build();

    @TempDir
    Path www;

    private static final Expected HELLO = Expected.of("hello".getBytes(StandardCharsets.UTF_8));

    private LoadSpec spec(String path) {
        return LoadSpec.closed(URI.create(wm.baseUrl() + path)).withConnections(2, 1)
                .withDuration(Duration.ofSeconds(2), Duration.ZERO).withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(100));
    }

    @Test
    void anInjectedDelayShowsUpInTheMedian() throws Exception {
        wm.stubFor(get("/slow").willReturn(ok("hello").withFixedDelay(200)));
        LoadResult r = new LoadGenerator(spec("/slow").withExpected(HELLO)).run();
        assertThat(r.errors().total()).isZero();
        assertThat(r.requests()).isPositive();
        assertThat(r.latencyMillis(50)).as("p50 includes the 200 ms the server waited").isGreaterThanOrEqualTo(200);
        assertThat(r.slaViolationPercent()).as("every request is over the 100 ms SLA").isEqualTo(100.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void resetsAreErrorsAndNeverThroughput(String transport) throws Exception {
        usable(transport);
        wm.stubFor(get("/reset").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        LoadResult r = new LoadGenerator(spec("/reset").withExpected(HELLO), transport).run();
        assertThat(r.requests()).isZero();
        assertThat(r.errors().reset()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void wrongBodiesAndBadStatusesAreErrors(String transport) throws Exception {
        usable(transport);
        wm.stubFor(get("/wrong").willReturn(ok("HELLO")));
        LoadResult wrong = new LoadGenerator(spec("/wrong").withExpected(HELLO), transport).run();
        assertThat(wrong.requests()).isZero();
        assertThat(wrong.errors().wrongBytes()).isPositive();

        wm.stubFor(get("/missing").willReturn(aResponse().withStatus(404).withBody("no")));
        LoadResult missing = new LoadGenerator(spec("/missing").withExpected(HELLO), transport).run();
        assertThat(missing.requests()).isZero();
        assertThat(missing.errors().badStatus()).isPositive();
        assertThatThrownBy(() -> new LoadGenerator(spec("/missing")).run())
                .as("a first answer that is not 2xx cannot be the reference").hasMessageContaining("404");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void chunkedResponsesAreReadAndChecked(String transport) throws Exception {
        usable(transport);
        var chunking = new com.github.tomakehurst.wiremock.WireMockServer(wireMockConfig().dynamicPort()
                .bindAddress("127.0.0.1").useChunkedTransferEncoding(Options.ChunkedEncodingPolicy.ALWAYS));
        chunking.start();
        try {
            chunking.stubFor(get("/chunked").willReturn(ok("hello").withChunkedDribbleDelay(3, 30)));
            LoadResult r = new LoadGenerator(LoadSpec.closed(URI.create(chunking.baseUrl() + "/chunked"))
                    .withConnections(2, 1).withDuration(Duration.ofSeconds(1), Duration.ZERO), transport).run();
            assertThat(r.errors().total()).isZero();
            assertThat(r.requests()).isPositive();
            assertThat(r.bytes()).isEqualTo(5 * r.requests());
        } finally {
            chunking.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void malformedResponsesAreErrorsNotCrashes(String transport) throws Exception {
        usable(transport);
        wm.stubFor(get("/garbage").willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));
        LoadResult r = new LoadGenerator(spec("/garbage").withExpected(HELLO), transport).run();
        assertThat(r.requests()).isZero();
        assertThat(r.errors().badStatus() + r.errors().reset()).isPositive();
    }

    @Test
    void theOpenLoopChargesAStallToEveryRequestItDelayed() throws Exception {
        // The first request stalls for a second; every later one is answered at once.
        wm.stubFor(get("/stall").inScenario("stall").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(ok("hello").withFixedDelay(1000)).willSetStateTo("fast"));
        wm.stubFor(get("/stall").inScenario("stall").whenScenarioStateIs("fast").willReturn(ok("hello")));
        LoadSpec open = LoadSpec.closed(URI.create(wm.baseUrl() + "/stall")).withConnections(1, 1)
                .withDuration(Duration.ofSeconds(3), Duration.ZERO).withRate(50).withExpected(HELLO);
        LoadResult corrected = new LoadGenerator(open).run();

        wm.resetScenarios();
        LoadResult closed = new LoadGenerator(open.withRate(0)).run();

        assertThat(corrected.errors().total()).isZero();
        assertThat(corrected.latencyMillis(90))
                .as("requests due during the stall waited for it: measured from when they were due")
                .isGreaterThanOrEqualTo(500);
        assertThat(closed.latencyMillis(90))
                .as("a closed loop sends nothing during the stall, so it records the stall once (coordinated omission)")
                .isLessThan(500);
        assertThat(corrected.targetRate()).isEqualTo(50);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void keepAlivePipeliningAndNewConnectionsAgainstTheReferenceServer(String transport) throws Exception {
        usable(transport);
        Files.writeString(www.resolve("f.txt"), "x".repeat(1024));
        try (SpedServer server = new SpedServer(ServerConfig.of(www))) {
            server.start();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/f.txt");
            LoadSpec base = LoadSpec.closed(uri).withConnections(4, 2).withDuration(Duration.ofSeconds(1), Duration.ofMillis(200));
            for (LoadSpec spec : new LoadSpec[] {base, base.withKeepAlive(true, 4), base.withKeepAlive(false, 1)}) {
                LoadResult r = new LoadGenerator(spec, transport).run();
                assertThat(r.errors().total()).as("errors with keepAlive=%s pipeline=%d", spec.keepAlive(), spec.pipeline()).isZero();
                assertThat(r.requests()).isPositive();
                assertThat(r.bytes()).isEqualTo(1024 * r.requests());
                if (!spec.keepAlive()) {
                    // Each of the 4 connections open when measuring began was opened (and counted)
                    // before it; every later answer needed a connection opened in the window.
                    assertThat(r.connections()).as("a connection per request").isGreaterThanOrEqualTo(r.requests() - 4);
                }
                assertThat(r.summary(spec, 2)).contains("Requests/sec:").contains("99.9%")
                        .contains("slower than --sla 100 ms")
                        .contains(spec.keepAlive() ? "near 0 with keep-alive" : "one per request");
            }
            Path json = www.resolve("run.json");
            int exit = Cli.commandLine(new BenchCommand()).execute("-c", "2", "-t", "1", "-d", "1", "-w", "0", "--transport", transport,
                    "--json", json.toString(), uri.toString());
            assertThat(exit).isZero();
            JsonNode root = new ObjectMapper().readTree(json.toFile());
            assertThat(root.get("requests").asLong()).isPositive();
            assertThat(root.get("latency").get("p99Ms").asDouble()).isGreaterThanOrEqualTo(0);
            assertThat(root.get("errors").get("wrongBytes").asLong()).isZero();
            assertThat(root.get("transport").asText()).isEqualTo(transport);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aMixAsksForEachPathInTurnAndChecksEachAgainstItsOwnBody(String transport) throws Exception {
        usable(transport);
        wm.stubFor(get("/a").willReturn(ok("alpha")));
        wm.stubFor(get("/b").willReturn(ok("bravo-bravo")));
        Expected alpha = Expected.of("alpha".getBytes(StandardCharsets.UTF_8));
        Expected bravo = Expected.of("bravo-bravo".getBytes(StandardCharsets.UTF_8));
        RequestMix mix = new RequestMix(java.util.List.of("/a", "/b"), java.util.List.of(alpha, bravo), new int[] {0, 1, 1});
        wm.resetRequests();
        LoadResult r = new LoadGenerator(spec("/").withMix(mix), transport).run();
        assertThat(r.errors().total()).isZero();
        assertThat(r.requests()).isPositive();
        int a = wm.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/a"))).size();
        int b = wm.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/b"))).size();
        assertThat(a).isPositive();
        assertThat(b).as("the order a, b, b: two /b for each /a, but for where the run stopped").isBetween(2 * a - 2, 2 * a);

        RequestMix swapped = new RequestMix(java.util.List.of("/a", "/b"), java.util.List.of(bravo, alpha), new int[] {0, 1});
        LoadResult wrong = new LoadGenerator(spec("/").withMix(swapped), transport).run();
        assertThat(wrong.requests()).as("every body differs from what its path should send").isZero();
        assertThat(wrong.errors().wrongBytes()).isPositive();
    }

    @Test
    void anEmulatedRoundTripHoldsEachConnectionBackBeforeEveryRequest() throws Exception {
        wm.stubFor(get("/far").willReturn(ok("hello")));
        // Two connections, each waiting at least half of 100 ms before each request: in one second
        // they can send at most 2 x 1 s / 50 ms = 40 requests, however fast the machine is.
        LoadSpec far = LoadSpec.closed(URI.create(wm.baseUrl() + "/far")).withConnections(2, 1)
                .withDuration(Duration.ofSeconds(1), Duration.ZERO).withExpected(HELLO).withRoundTrip(Duration.ofMillis(100));
        LoadResult r = new LoadGenerator(far).run();
        assertThat(r.errors().total()).isZero();
        assertThat(r.requests()).isBetween(1L, 40L);
        assertThatThrownBy(() -> far.withRate(10)).hasMessageContaining("an emulated round trip needs a closed keep-alive loop");
        assertThatThrownBy(() -> far.withKeepAlive(false, 1)).hasMessageContaining("closed keep-alive loop");
    }

    @Test
    void aMixRefusesWhatItCannotAskFor() {
        assertThatThrownBy(() -> new RequestMix(java.util.List.of("/a"), java.util.List.of(HELLO), new int[] {1}))
                .hasMessageContaining("path 1 of 1");
        assertThatThrownBy(() -> new RequestMix(java.util.List.of("/a b"), java.util.List.of(HELLO), new int[] {0}))
                .hasMessageContaining("not a request target");
        assertThatThrownBy(() -> new RequestMix(java.util.List.of("/a"), java.util.List.of(), new int[] {0}))
                .hasMessageContaining("one expected body per path");
        assertThatThrownBy(() -> new RequestMix(java.util.List.of("/a"), java.util.List.of(HELLO), new int[0]))
                .hasMessageContaining("empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aRefusedConnectionIsAConnectErrorAndTheRunGoesOn(String transport) throws Exception {
        usable(transport);
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        LoadSpec refused = LoadSpec.closed(URI.create("http://127.0.0.1:" + closedPort + "/")).withConnections(2, 1)
                .withDuration(Duration.ofMillis(500), Duration.ZERO).withExpected(HELLO);
        LoadResult r = new LoadGenerator(refused, transport).run();
        assertThat(r.requests()).isZero();
        assertThat(r.errors().connect()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aServerThatWillNotCloseWhenAskedIsAnError(String transport) throws Exception {
        usable(transport);
        // Answers every request and keeps the connection open, whatever the request said.
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                while (!listener.isClosed()) {
                    try {
                        java.net.Socket s = listener.accept();
                        Thread.ofPlatform().daemon().start(() -> answerForever(s));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            LoadSpec stubborn = LoadSpec.closed(URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/"))
                    .withConnections(2, 1).withKeepAlive(false, 1).withDuration(Duration.ofSeconds(1), Duration.ZERO)
                    .withTimeouts(Duration.ofMillis(200), Duration.ofMillis(100)).withExpected(HELLO);
            LoadResult r = new LoadGenerator(stubborn, transport).run();
            assertThat(r.requests()).as("the answers themselves were right").isPositive();
            assertThat(r.errors().notClosed()).as("but the server never closed as asked").isPositive();
            assertThat(r.summary(stubborn, 2)).contains("not closed");
            listener.close();
            acceptor.join(Duration.ofSeconds(10));
        }
    }

    private static void answerForever(java.net.Socket s) {
        try (s) {
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            java.io.OutputStream out = s.getOutputStream();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the client gave up on this connection, as it should
        }
    }

    @Test
    void transportsAreChosenOrRefusedClearly() throws Exception {
        assertThatThrownBy(() -> new LoadGenerator(spec("/"), "carrier-pigeon")).hasMessageContaining("use auto, nio or epoll");
        assertThat(Cli.commandLine(new BenchCommand()).execute("--transport", "smoke", "http://127.0.0.1:1/")).isEqualTo(2);
        if (org.flashlab.grader.run.Pinning.tasksetAvailable()) {
            assertThat(Cli.commandLine(new BenchCommand()).execute("--cpus", "no-such-cpu", "http://127.0.0.1:1/"))
                    .as("taskset refuses the list: a clear error, not a run on the wrong cores").isEqualTo(2);
        }
        LoadSpec v6 = LoadSpec.closed(URI.create("http://[::1]:1/")).withExpected(HELLO).withDuration(Duration.ofMillis(100), Duration.ZERO);
        assertThatThrownBy(() -> new LoadGenerator(v6, "epoll").run()).hasMessageContaining("IPv4");
        LoadGenerator auto = new LoadGenerator(spec("/").withExpected(HELLO).withDuration(Duration.ofMillis(200), Duration.ZERO));
        wm.stubFor(get("/").willReturn(ok("hello")));
        auto.run();
        assertThat(auto.transportUsed()).isEqualTo(EpollTransport.available() ? "epoll" : "nio");
    }

    /** Skips a test of the epoll transport where it cannot run (shared with OpenLoopTest). */
    static void usable(String transport) {
        assumeTrue(!transport.equals("epoll") || EpollTransport.available(), "the epoll transport needs Linux");
    }

    @Test
    void badArgumentsAndUnusableTargetsHaveTheirExitCodes() throws IOException {
        assertThat(Cli.commandLine(new BenchCommand()).execute("ftp://x/")).isEqualTo(2);
        assertThat(Cli.commandLine(new BenchCommand()).execute("-d", "1", "http://127.0.0.1:1/")).isEqualTo(3);
    }
}
