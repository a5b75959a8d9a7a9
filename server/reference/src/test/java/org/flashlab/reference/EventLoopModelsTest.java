package org.flashlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.flashlab.contract.RawClient;
import org.flashlab.contract.ServerProcess;
import org.flashlab.reference.event.EventServer;
import org.flashlab.reference.process.ChildJvm;
import org.flashlab.reference.sped.SpedServer;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an event loop must show: one stalled client stalls nobody, and idleness is free. The
 * slowloris bound holds for the blocking models too (BlockingConnection's request deadline).
 */
@Timeout(120)
class EventLoopModelsTest {
    @TempDir
    Path www;

    @BeforeEach
    void site() throws IOException {
        Files.writeString(www.resolve("hello.txt"), "hello\n");
    }

    @Test
    void aClientThatStallsMidRequestDelaysNoOtherClient() throws IOException {
        try (SpedServer server = new SpedServer(ServerConfig.of(www).withIdleTimeout(Duration.ofSeconds(60)))) {
            server.start();
            try (RawClient stalled = new RawClient(server.port()); RawClient other = new RawClient(server.port())) {
                stalled.send("GET /hello.txt HTTP/1.1\r\nHo"); // and nothing more
                for (int i = 0; i < 10; i++) {
                    assertThat(other.get("/hello.txt").bodyText()).isEqualTo("hello\n");
                }
                stalled.send("st: t\r\n\r\n");
                assertThat(stalled.read(false).bodyText()).as("the stalled request completes when it can").isEqualTo("hello\n");
            }
        }
    }

    @Test
    void manyIdleConnectionsCostNoWakeUps() throws IOException {
        try (SpedServer server = new SpedServer(ServerConfig.of(www).withIdleTimeout(Duration.ofSeconds(120)))) {
            server.start();
            List<SocketChannel> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 1000; i++) {
                    idle.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port())));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> server.loop().connections() == 1000);
                long before = server.loop().iterations();
                // For three seconds the loop wakes only for its once-a-second deadline scan, not per
                // connection: a thousand idle sockets cost epoll nothing.
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                        .until(() -> server.loop().iterations() - before <= 8);
            } finally {
                for (SocketChannel c : idle) {
                    c.close();
                }
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = Model.class, names = {"SPED", "MT_PER_CONNECTION"})
    void aSlowlorisRequestIsCutOffAtTheIdleTimeoutEvenWhileBytesTrickleIn(Model model) throws IOException {
        try (org.flashlab.server.Server server = model.create(ServerConfig.of(www).withIdleTimeout(Duration.ofSeconds(2)),
                ModelOptions.DEFAULTS)) {
            server.start();
            try (RawClient slow = new RawClient(server.port())) {
                String request = "GET /hello.txt HTTP/1.1\r\nX-Slow: " + "a".repeat(100);
                boolean closed = false;
                for (int i = 0; i < request.length() && !closed; i++) {
                    try {
                        slow.send(request.substring(i, i + 1));
                    } catch (IOException e) {
                        closed = true; // the server has already closed: the write failed
                    }
                    LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // the attack's pace, not a wait
                    closed = closed || slow.input().available() > 0;
                }
                assertThat(closed).as("the server answered or closed before the 10 s trickle ended").isTrue();
                assertThat(new String(slow.input().readAllBytes())).startsWith("HTTP/1.1 408 Request Timeout");
            }
        }
    }

    @Test
    void thePollSelectorCanBeChosenFromTheCommandLine() {
        List<String> command = ChildJvm.command(Main.class, List.of("--model", "sped", "--selector", "poll",
                "--port", "0", "--docroot", www.toString()));
        try (ServerProcess server = ServerProcess.start(command, null, Duration.ofSeconds(60));
             RawClient client = new RawClient(server.port())) {
            assertThat(client.get("/hello.txt").bodyText()).isEqualTo("hello\n");
            assertThat(server.output()).contains("selector sun.nio.ch.PollSelectorProvider");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
