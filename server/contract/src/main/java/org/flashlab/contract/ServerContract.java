package org.flashlab.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server contract: what every server in the kit must do, whatever its concurrency model. To run
 * it against a server, extend this class and say how to start it:
 *
 * <pre>
 *   class MyServerContractTest extends ServerContract {
 *       protected ServerUnderTest start(ServerConfig config) throws Exception {
 *           return InProcessServer.start(new MyServer(config));
 *       }
 *   }
 * </pre>
 *
 * One server is started for the whole class and shared by the tests, as a real server is shared by
 * its clients; {@link #stopsCleanly} starts one more of its own. Tags group the tests so a lesson can
 * leave out what it has not taught yet: core, conditional, range, robustness, lifecycle.
 * Every wait is bounded: a server that hangs fails a test, it does not hang the suite.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ServerContract {
    /** Short, so the idle-timeout test is quick; long enough that no other test idles this long. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);

    protected ContractSite site;
    protected ServerUnderTest server;

    /**
     * Starts the server under test with this configuration (loopback, port 0, the contract site as
     * docroot, a short idle timeout) and returns once it accepts connections.
     */
    protected abstract ServerUnderTest start(ServerConfig config) throws Exception;

    @BeforeAll
    void startServer() throws Exception {
        site = ContractSite.create();
        server = start(config());
    }

    @AfterAll
    void stopServer() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (site != null) {
                site.close();
            }
        }
    }

    protected ServerConfig config() {
        return ServerConfig.of(site.root()).withIdleTimeout(IDLE_TIMEOUT);
    }

    protected RawClient client() throws IOException {
        return new RawClient(server.port());
    }

    // ---------------------------------------------------------------- the table of fixtures

    static Stream<Fixture> coreFixtures() {
        return Stream.of(Fixtures.serving(), Fixtures.refusedFiles(), Fixtures.traversal(), Fixtures.malformed())
                .flatMap(List::stream);
    }

    @Tag("core")
    @ParameterizedTest(name = "{0}")
    @MethodSource("coreFixtures")
    @DisplayName("request table")
    void answersAsTheTableSays(Fixture fixture) throws IOException {
        check(fixture);
    }

    static final List<Fixture> CONDITIONAL = Fixtures.conditional();
    static final List<Fixture> RANGE = Fixtures.range();

    @Tag("conditional")
    @ParameterizedTest(name = "{0}")
    @FieldSource("CONDITIONAL")
    @DisplayName("conditional request table")
    void answersConditionalRequests(Fixture fixture) throws IOException {
        check(fixture);
    }

    @Tag("range")
    @ParameterizedTest(name = "{0}")
    @FieldSource("RANGE")
    @DisplayName("range request table")
    void answersRangeRequests(Fixture fixture) throws IOException {
        check(fixture);
    }

    /** Sends one fixture's request on a fresh connection and checks every expectation it states. */
    protected void check(Fixture fixture) throws IOException {
        try (RawClient client = client()) {
            client.send(fixture.request());
            RawResponse response = client.read(fixture.head());
            assertThat(response.status()).as("status for: %s (response: %s)", fixture.name(), response)
                    .isEqualTo(fixture.status());
            fixture.headers().forEach((name, expected) -> {
                String actual = response.header(name);
                switch (expected) {
                    case Fixture.PRESENT -> assertThat(actual).as("header %s", name).isNotNull();
                    case Fixture.ABSENT -> assertThat(actual).as("header %s", name).isNull();
                    default -> assertThat(actual).as("header %s", name).isEqualTo(expected);
                }
            });
            if (response.status() != 304 && !fixture.head()) {
                assertThat(response.header("Content-Length")).as("Content-Length").isNotNull();
            }
            if (fixture.head() || response.status() == 304) {
                assertThat(response.body()).as("HEAD and 304 responses have no body").isEmpty();
            }
            if (fixture.bodyFile() != null) {
                assertThat(response.body()).as("body of %s", fixture.bodyFile())
                        .isEqualTo(site.bytes(fixture.bodyFile()));
            }
            if (fixture.bodyText() != null) {
                assertThat(response.bodyText()).as("body").isEqualTo(fixture.bodyText());
            }
            assertThat(response.bodyText()).as("nothing from outside the root leaks")
                    .doesNotContain(ContractSite.OUTSIDE_MARKER).doesNotContain("root:x:0:0");
            if (fixture.closes()) {
                assertThat(client.closedByServer()).as("the server closes the connection after: %s", fixture.name())
                        .isTrue();
            }
        }
    }

    // ---------------------------------------------------------------- bytes and framing

    @Tag("core")
    @ParameterizedTest(name = "{0} bytes")
    @FieldSource("org.flashlab.contract.ContractSite#SIZES")
    @DisplayName("GET returns the exact bytes of a file of every size")
    void exactBytes(int size) throws IOException {
        try (RawClient client = client()) {
            RawResponse response = client.get("/" + ContractSite.sizeFile(size));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Length")).isEqualTo(Integer.toString(size));
            assertThat(response.header("Content-Type")).isEqualTo("application/octet-stream");
            assertThat(Arrays.equals(response.body(), site.bytes(ContractSite.sizeFile(size))))
                    .as("the %d body bytes equal the file's", size).isTrue();
        }
    }

    @Tag("core")
    @Test
    @DisplayName("HEAD then GET on one connection: HEAD sent no body, or GET would read it")
    void headLeavesTheConnectionInStep() throws IOException {
        String file = "/" + ContractSite.sizeFile(65_536);
        try (RawClient client = client()) {
            client.send("HEAD " + file + " HTTP/1.1\r\nHost: test\r\n\r\n");
            RawResponse head = client.read(true);
            assertThat(head.header("Content-Length")).isEqualTo("65536");
            RawResponse get = client.get("/hello.txt");
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.bodyText()).isEqualTo(ContractSite.HELLO);
        }
    }

    // ---------------------------------------------------------------- persistent connections

    @Tag("core")
    @Test
    @DisplayName("keep-alive: 200 requests in sequence on one connection")
    void keepAliveServesManyRequests() throws IOException {
        try (RawClient client = client()) {
            for (int i = 0; i < 200; i++) {
                int size = ContractSite.SIZES.get(i % 6); // up to 64 KiB, to keep the test short
                RawResponse response = client.get("/" + ContractSite.sizeFile(size));
                assertThat(response.status()).as("request %d", i).isEqualTo(200);
                assertThat(response.body()).as("request %d", i).hasSize(size);
                assertThat(response.header("Connection")).isNotEqualToIgnoringCase("close");
            }
        }
    }

    @Tag("core")
    @Test
    @DisplayName("HTTP/1.0 with Connection: keep-alive stays open")
    void http10KeepAlive() throws IOException {
        try (RawClient client = client()) {
            for (int i = 0; i < 3; i++) {
                client.send("GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                RawResponse response = client.read(false);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("Connection")).isEqualToIgnoringCase("keep-alive");
            }
        }
    }

    @Tag("core")
    @Test
    @DisplayName("pipelining: requests sent together are answered in order")
    void pipelinedRequestsAnsweredInOrder() throws IOException {
        String[] paths = {"/hello.txt", "/" + ContractSite.sizeFile(1025), "/missing", "/index.html",
                "/" + ContractSite.sizeFile(65_536)};
        StringBuilder all = new StringBuilder();
        for (String path : paths) {
            all.append("GET ").append(path).append(" HTTP/1.1\r\nHost: test\r\n\r\n");
        }
        all.append("HEAD /hello.txt HTTP/1.1\r\nHost: test\r\n\r\n");
        try (RawClient client = client()) {
            client.send(all.toString());
            for (String path : paths) {
                RawResponse response = client.read(false);
                if (path.equals("/missing")) {
                    assertThat(response.status()).isEqualTo(404);
                } else {
                    assertThat(response.body()).as(path).isEqualTo(site.bytes(path.substring(1)));
                }
            }
            assertThat(client.read(true).header("Content-Length")).isEqualTo("14");
        }
    }

    @Tag("core")
    @Test
    @DisplayName("a request sent one byte at a time is parsed")
    void requestInSingleBytes() throws IOException {
        byte[] request = "GET /hello.txt HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        try (RawClient client = client()) {
            client.socket().setTcpNoDelay(true);
            for (byte b : request) {
                client.send(new byte[] {b});
            }
            assertThat(client.read(false).bodyText()).isEqualTo(ContractSite.HELLO);
        }
    }

    // ---------------------------------------------------------------- concurrency and robustness

    @Tag("robustness")
    @Test
    @DisplayName("32 concurrent clients, 10 requests each, all get exact bytes")
    void manyConcurrentClients() throws Exception {
        int clients = 32;
        int requests = 10;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    try (RawClient client = client()) {
                        for (int r = 0; r < requests; r++) {
                            int size = ContractSite.SIZES.get((id + r) % 7);
                            RawResponse response = client.get("/" + ContractSite.sizeFile(size));
                            if (response.status() == 200
                                    && Arrays.equals(response.body(), site.bytes(ContractSite.sizeFile(size)))) {
                                ok++;
                            }
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(90, TimeUnit.SECONDS)).as("correct responses for one client").isEqualTo(requests);
            }
        }
    }

    @Tag("robustness")
    @Test
    @DisplayName("clients that reset mid-response do not hurt the server")
    void clientDisconnectsMidResponse() throws IOException {
        for (int i = 0; i < 3; i++) {
            RawClient quitter = client();
            quitter.send("GET /" + ContractSite.sizeFile(4 * 1024 * 1024) + " HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(quitter.input().readNBytes(8 * 1024)).hasSize(8 * 1024);
            quitter.abort();
        }
        try (RawClient client = client()) {
            RawResponse response = client.get("/" + ContractSite.sizeFile(1_048_583));
            assertThat(Arrays.equals(response.body(), site.bytes(ContractSite.sizeFile(1_048_583)))).isTrue();
        }
    }

    @Tag("robustness")
    @Test
    @DisplayName("a slow client reading 4 MiB in 1 KiB pieces gets every byte")
    void slowClientGetsEveryByte() throws IOException {
        int size = 4 * 1024 * 1024;
        try (RawClient client = new RawClient(server.port(), 8 * 1024)) {
            client.send("GET /" + ContractSite.sizeFile(size) + " HTTP/1.1\r\nHost: test\r\n\r\n");
            InputStream in = client.input();
            // Skip the head, then read the body in small pieces, pausing now and then so the
            // server's writes really do fill the socket buffers and come back partial.
            byte[] expected = site.bytes(ContractSite.sizeFile(size));
            byte[] head = readHead(in);
            assertThat(new String(head, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
            byte[] piece = new byte[1024];
            int offset = 0;
            int pieces = 0;
            while (offset < size) {
                int n = in.read(piece, 0, Math.min(piece.length, size - offset));
                assertThat(n).as("bytes read at offset %d", offset).isPositive();
                assertThat(Arrays.equals(piece, 0, n, expected, offset, offset + n)).as("bytes at %d", offset).isTrue();
                offset += n;
                if (++pieces % 512 == 0) {
                    LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // simulated slowness, not a wait
                }
            }
        }
    }

    private static byte[] readHead(InputStream in) throws IOException {
        var head = new java.io.ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed inside the head");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    @Tag("robustness")
    @Test
    @DisplayName("an idle connection is closed after the idle timeout")
    void idleConnectionIsClosed() throws IOException {
        try (RawClient idle = client(); RawClient used = client()) {
            assertThat(used.get("/hello.txt").status()).isEqualTo(200);
            // Both the never-used and the kept-alive connection must be closed by the server.
            await().atMost(IDLE_TIMEOUT.plusSeconds(15)).pollInSameThread()
                    .until(idle::closedByServer);
            await().atMost(IDLE_TIMEOUT.plusSeconds(15)).pollInSameThread()
                    .until(used::closedByServer);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Tag("lifecycle")
    @Test
    @DisplayName("close() stops accepting, drops open connections and leaves nothing behind")
    void stopsCleanly() throws Exception {
        ServerUnderTest second = start(config());
        int port = second.port();
        try (RawClient open = new RawClient(port)) {
            assertThat(open.get("/hello.txt").status()).isEqualTo(200);
            second.close();
            assertThat(open.closedByServer()).as("a kept-alive connection is closed by close()").isTrue();
        } finally {
            second.close();
        }
        second.awaitReleased();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
                .as("nothing listens on the port after close()").isInstanceOf(ConnectException.class);
    }
}
