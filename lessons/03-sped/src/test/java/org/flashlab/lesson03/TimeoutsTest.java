package org.flashlab.lesson03;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task 3: a connection that does nothing, or does too little too slowly, is closed. One loop serves
 * everyone, so each connection it keeps costs it a descriptor and a slot in every select.
 */
@Timeout(60)
class TimeoutsTest {
    private static final String HINT = " (hint: README, \"Task 3\")";

    @TempDir
    Path docroot;
    private SpedServer server;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(docroot.resolve("index.html"), "hello\n");
        server = new SpedServer(ServerConfig.of(docroot).withIdleTimeout(Duration.ofSeconds(3)));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** True once the server has closed the connection: a read sees end-of-stream or a reset. */
    private static boolean closedByServer(Socket s) {
        try {
            s.setSoTimeout(1);
            return s.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false; // still open, nothing to read
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    @DisplayName("a connection that never sends a byte is closed after the idle timeout")
    void idleIsClosed() throws IOException {
        try (Socket idle = new Socket("127.0.0.1", server.port())) {
            await("the server to close an idle connection (idle timeout: 3 s)" + HINT).atMost(Duration.ofSeconds(30))
                    .pollInSameThread().until(() -> closedByServer(idle));
        }
    }

    @Test
    @DisplayName("a kept-alive connection that waits less than the idle timeout still serves the next request")
    void keptAliveWithinTheTimeout() throws IOException {
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            client.setSoTimeout(20_000);
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            out.write("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] first = new byte[4096];
            int n = 0;
            while (!new String(first, 0, n, StandardCharsets.ISO_8859_1).endsWith("hello\n")) {
                int r = in.read(first, n, first.length - n);
                assertThat(r).as("bytes of the first answer").isPositive();
                n += r;
            }
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos()); // the client's think time: 1 s of the 3 s
            out.write("GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
                    .as("the second answer, after 1 s of quiet with a 3 s idle timeout: after an answer, the "
                            + "idle timeout starts again from then" + HINT)
                    .startsWith("HTTP/1.1 200").endsWith("hello\n");
        }
    }

    @Test
    @DisplayName("a request that arrives in pieces, within the idle timeout, is answered")
    void slowButInTime() throws IOException {
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            client.setSoTimeout(20_000);
            OutputStream out = client.getOutputStream();
            for (String piece : new String[] {"GET /index.html HT", "TP/1.1\r\nHost: x\r\n", "Connection: close\r\n\r\n"}) {
                out.write(piece.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                LockSupport.parkNanos(Duration.ofMillis(300).toNanos()); // the client's pace: 0.9 s in all, of 3 s
            }
            assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                    .as("the answer to a request sent in three pieces over 0.9 s, with a 3 s idle timeout: a request "
                            + "has until its first byte's deadline, so set it when the first byte arrives" + HINT)
                    .startsWith("HTTP/1.1 200").endsWith("hello\n");
        }
    }

    @Test
    @DisplayName("a request trickling in a byte at a time is cut off: it must arrive within the idle timeout of its first byte")
    void slowlorisIsCutOff() throws IOException {
        byte[] request = ("GET /index.html HTTP/1.1\r\nHost: x\r\n" + "X-Slow: " + "z".repeat(200) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket slow = new Socket("127.0.0.1", server.port())) {
            OutputStream out = slow.getOutputStream();
            InputStream in = slow.getInputStream();
            // One byte every 100 ms: each comes well within the 3 s idle timeout of the last one, but
            // the whole request would take 24 s. A deadline that restarts on every byte never ends it.
            for (int i = 0; i < request.length; i++) {
                try {
                    out.write(request[i]);
                    out.flush();
                } catch (IOException e) {
                    return; // the server has closed the connection: what we want
                }
                if (closedByServer(slow)) {
                    return;
                }
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // the client's pace, not a wait for the server
            }
            slow.setSoTimeout(10_000);
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).as("the answer to a request that took 24 s to arrive, with a 3 s idle timeout: the "
                    + "server should have closed the connection long before" + HINT).isEmpty();
        }
    }
}
