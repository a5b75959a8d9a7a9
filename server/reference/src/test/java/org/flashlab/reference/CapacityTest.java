package org.flashlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.flashlab.contract.RawClient;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every model built for concurrency holds 5,000 kept-alive connections at once: each gets an answer,
 * stays open, and gets a second answer. Iterative and MP are left out on purpose: one connection
 * per process is their lesson. The blocking pools are sized for it: a pool holds as many kept-alive
 * connections as it has threads, and its queue must absorb the burst of 5,000 connects, or the
 * boss refuses the excess with 503 as designed. Their sizes below make that cost visible.
 */
@Tag("capacity")
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CapacityTest {
    static final int CONNECTIONS = 5_000;
    static final String REQUEST = "GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n";

    @TempDir
    static Path www;

    @BeforeAll
    void enoughDescriptors() throws IOException {
        long max = ((com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        assumeTrue(max >= 3L * CONNECTIONS, "needs ulimit -n of at least " + 3 * CONNECTIONS + ", have " + max
                + " (./flashlab raises it to the hard limit)");
        Files.writeString(www.resolve("hello.txt"), "hello\n");
    }

    @ParameterizedTest
    @EnumSource(value = Model.class, names = {"ITERATIVE", "MP"}, mode = EnumSource.Mode.EXCLUDE)
    void holdsFiveThousandKeptAliveConnections(Model model) throws Exception {
        ModelOptions sized = ModelOptions.DEFAULTS.withWorkers(2).withThreads(CONNECTIONS + 100)
                .withPool(CONNECTIONS, 4, 16).withHelpers(2, Duration.ZERO)
                // SO_REUSEPORT spreads connections over the two workers by a hash, not evenly: a
                // worker may get a few dozen more than half (binomial, sd about 35), and a pool
                // holds only as many kept-alive connections as it has threads. 60 % each is safe.
                .withChildFlags(List.of("--threads", Integer.toString(CONNECTIONS * 3 / 5),
                        "--queue", Integer.toString(CONNECTIONS)));
        ServerConfig config = ServerConfig.of(www).withIdleTimeout(Duration.ofSeconds(120));
        try (Server server = model.create(config, sized)) {
            server.start();
            int expected;
            try (RawClient probe = new RawClient(server.port())) {
                probe.send(REQUEST);
                var r = probe.read(false);
                expected = responseLength(r.statusLine(), r.headers(), r.body().length);
            }
            List<SocketChannel> channels = new ArrayList<>(CONNECTIONS);
            try (Selector selector = Selector.open()) {
                for (int i = 0; i < CONNECTIONS; i++) {
                    channels.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port())));
                }
                for (int round = 1; round <= 2; round++) {
                    assertThat(exchange(selector, channels, expected, Duration.ofSeconds(60)))
                            .as("%s: connections answered in round %d", model.cliName(), round)
                            .isEqualTo(CONNECTIONS);
                }
            } finally {
                for (SocketChannel channel : channels) {
                    channel.close();
                }
            }
        }
    }

    /** Bytes of a whole response: the head as sent, then the body. */
    private static int responseLength(String statusLine, java.util.Map<String, List<String>> headers, int body) {
        int length = statusLine.length() + 2 + 2;
        for (var e : headers.entrySet()) {
            for (String v : e.getValue()) {
                length += e.getKey().length() + 2 + v.length() + 2;
            }
        }
        return length + body;
    }

    /** Sends one request on every channel, then counts the channels that receive a whole response. */
    private static int exchange(Selector selector, List<SocketChannel> channels, int expected, Duration limit)
            throws IOException {
        ByteBuffer request = ByteBuffer.wrap(REQUEST.getBytes(StandardCharsets.ISO_8859_1));
        for (SocketChannel channel : channels) {
            channel.configureBlocking(true);
            channel.write(request.rewind());
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, new int[1]);
        }
        ByteBuffer sink = ByteBuffer.allocateDirect(64 * 1024);
        int complete = 0;
        long deadline = System.nanoTime() + limit.toNanos();
        while (complete < channels.size() && System.nanoTime() - deadline < 0) {
            selector.select(key -> {
                int[] received = (int[]) key.attachment();
                try {
                    sink.clear();
                    int n = ((SocketChannel) key.channel()).read(sink);
                    if (n < 0) {
                        key.cancel(); // closed by the server: never counted
                        return;
                    }
                    received[0] += n;
                } catch (IOException e) {
                    key.cancel();
                }
            }, 1000);
            complete = 0;
            for (SelectionKey key : selector.keys()) {
                if (key.isValid() && ((int[]) key.attachment())[0] >= expected) {
                    complete++;
                }
            }
        }
        for (SelectionKey key : selector.keys()) {
            key.cancel();
        }
        selector.selectNow(); // flush the cancellations so the channels can go back to blocking mode
        return complete;
    }
}
