package org.flashlab.lesson07;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

import org.flashlab.contract.RawClient;
import org.flashlab.lesson07.hybrid.HybridWorker;
import org.flashlab.lesson07.multireactor.MultiReactorServer;
import org.flashlab.lesson07.nsped.NSpedWorker;
import org.flashlab.lesson07.vt.VirtualThreadServer;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping, for every shape: close() returns, the connections it had open are closed (a client
 * waiting for its next answer reads the end), and the port is let go. A thread left blocked in
 * read or accept would keep a stopped server's process alive.
 */
@Timeout(60)
class StopTest {
    @TempDir
    Path dir;

    private void stops(Function<ServerConfig, Server> make) throws Exception {
        Path site = Files.createDirectories(dir.resolve("www"));
        Files.writeString(site.resolve("index.html"), "<h1>stop</h1>\n");
        // A long idle timeout: only close() can end the kept-alive connection below.
        Server server = make.apply(ServerConfig.of(site).withIdleTimeout(Duration.ofMinutes(5)).withReusePort(true));
        server.start();
        int port = server.port();
        try (RawClient kept = new RawClient(port)) {
            assertThat(kept.get("/index.html").bodyText()).isEqualTo("<h1>stop</h1>\n");
            server.close();
            kept.socket().setSoTimeout(30_000);
            assertThat(kept.input().read()).as("what a kept-alive client reads once the server has stopped").isEqualTo(-1);
        } finally {
            server.close(); // idempotent
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).as("a connection to the stopped server's port")
                .isInstanceOf(ConnectException.class);
    }

    @Test
    @DisplayName("the virtual-thread server stops, and closes its connections")
    void virtualThreads() throws Exception {
        stops(VirtualThreadServer::new);
    }

    @Test
    @DisplayName("the multi-reactor stops, and closes its connections")
    void multiReactor() throws Exception {
        stops(MultiReactorServer::new);
    }

    @Test
    @DisplayName("an N-SPED worker stops, and closes its connections")
    void nspedWorker() throws Exception {
        stops(NSpedWorker::new);
    }

    @Test
    @DisplayName("a hybrid worker stops, and closes its connections, its threads blocked in read or accept")
    void hybridWorker() throws Exception {
        stops(c -> new HybridWorker(c, 4));
    }

    @Test
    @DisplayName("an idle connection on a reactor is closed after the idle timeout; a trickling request is cut off")
    void reactorsKeepTheirDeadlines() throws Exception {
        Path site = Files.createDirectories(dir.resolve("www"));
        Files.writeString(site.resolve("index.html"), "<h1>stop</h1>\n");
        try (MultiReactorServer server = new MultiReactorServer(ServerConfig.of(site).withIdleTimeout(Duration.ofSeconds(1)))) {
            server.start();
            try (Socket idle = new Socket("127.0.0.1", server.port());
                 Socket half = new Socket("127.0.0.1", server.port())) {
                idle.setSoTimeout(30_000);
                half.setSoTimeout(30_000);
                idle.getOutputStream().write("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(idle.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                        .as("one answer, then the end once the connection sat idle").startsWith("HTTP/1.1 200 ")
                        .endsWith("<h1>stop</h1>\n");
                half.getOutputStream().write("GET /index.html HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(half.getInputStream().readAllBytes()).as("half a request, past the timeout").isEmpty();
            }
        }
    }
}
