package org.flashlab.lesson04;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.flashlab.lesson04.amted.AmtedServer;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lesson 03's timeouts, with helpers in the picture: the sweep closes an idle connection and
 * answers a slow request with 408, but never a connection whose answer waits for a helper. That
 * wait is the server's, not the client's.
 */
@Timeout(60)
class DeadlinesTest {
    private static final Duration IDLE = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private AmtedServer start(GatedSite site) throws Exception {
        AmtedServer server = new AmtedServer(site.config().withIdleTimeout(IDLE));
        server.start();
        return server;
    }

    @Test
    @DisplayName("a connection whose answer waits for a helper outlives the idle timeout, and is answered")
    void waitingForAHelperIsNotIdle() throws Exception {
        GatedSite site = new GatedSite(dir, 1);
        try (AmtedServer server = start(site)) {
            Files.createFile(site.gate);
            try (Socket cold = GatedSite.get(server.port(), "/cold-0.bin")) {
                await("a helper to wait at the gate").atMost(Duration.ofSeconds(30)).until(() -> site.waitingLines() >= 1);
                // Three idle timeouts with the read still held. A sweep that expired the connection would
                // close it (read() returns -1) or answer 408 (read() returns a byte); only a connection
                // left waiting makes read() time out.
                cold.setSoTimeout((int) IDLE.multipliedBy(3).toMillis());
                assertThatThrownBy(() -> cold.getInputStream().read())
                        .as("reading the held connection for three idle timeouts: nothing, and no end")
                        .isInstanceOf(SocketTimeoutException.class);
                cold.setSoTimeout(30_000);
                Files.delete(site.gate);
                byte[] answer = GatedSite.answer(cold);
                assertThat(GatedSite.statusLine(answer)).as("the held request's answer").contains("200");
                assertThat(GatedSite.body(answer)).isEqualTo(site.cold(0));
            } finally {
                Files.deleteIfExists(site.gate);
            }
        }
    }

    @Test
    @DisplayName("an idle connection is closed after the idle timeout")
    void anIdleConnectionIsClosed() throws Exception {
        GatedSite site = new GatedSite(dir, 0);
        try (AmtedServer server = start(site); Socket idle = new Socket("127.0.0.1", server.port())) {
            idle.setSoTimeout(30_000);
            assertThat(idle.getInputStream().read()).as("what an idle connection reads: the end, once it expires")
                    .isEqualTo(-1);
        }
    }

    @Test
    @DisplayName("a request still incomplete after the idle timeout gets 408")
    void aSlowRequestGets408() throws Exception {
        GatedSite site = new GatedSite(dir, 0);
        try (AmtedServer server = start(site); Socket slow = new Socket("127.0.0.1", server.port())) {
            slow.setSoTimeout(30_000);
            slow.getOutputStream().write("GET /hot.txt HTTP/1.1\r\nHost: lesson04\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = slow.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).as("the answer to half a request, once its time is up").startsWith("HTTP/1.1 408 ");
        }
    }
}
