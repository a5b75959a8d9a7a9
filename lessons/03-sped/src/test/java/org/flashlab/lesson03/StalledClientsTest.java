package org.flashlab.lesson03;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task 2: one thread serves everyone, so no handler may wait for a client. Each test stalls one
 * client first, then asks for a page on another connection: a server whose one thread waits for
 * the first client never answers the second, and the test times out.
 */
@Timeout(60)
class StalledClientsTest {
    private static final String HINT = " (hint: README, \"Task 2\": read what is there, write what fits, return)";

    @TempDir
    Path docroot;
    private SpedServer server;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(docroot.resolve("index.html"), "hello\n");
        Files.write(docroot.resolve("big.bin"), new byte[32 * 1024 * 1024]);
        server = new SpedServer(ServerConfig.of(docroot).withIdleTimeout(Duration.ofSeconds(60)));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String get(String path) throws IOException {
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            client.setSoTimeout(20_000);
            client.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    @DisplayName("a client that sent half a request does not hold up another")
    void halfARequest() throws IOException {
        try (Socket stalled = new Socket("127.0.0.1", server.port())) {
            stalled.getOutputStream().write("GET /index.html HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
            assertThat(get("/index.html")).as("another client's answer while the first has sent half a request" + HINT)
                    .startsWith("HTTP/1.1 200").endsWith("hello\n");
        }
    }

    @Test
    @DisplayName("a client that stops reading a 32 MB answer does not hold up another")
    void stopsReading() throws IOException {
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            stalled.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = stalled.getInputStream();
            assertThat(in.read()).as("the first byte of the big answer").isEqualTo('H'); // the server has started writing
            assertThat(get("/index.html"))
                    .as("another client's answer while the first has 32 MB to read and reads none of it" + HINT)
                    .startsWith("HTTP/1.1 200").endsWith("hello\n");
        }
    }

    @Test
    @DisplayName("after an answer too big for the socket, written in parts, the next request on the connection is answered")
    void keepAliveAfterPartialWrites() throws IOException {
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            client.setSoTimeout(20_000);
            client.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();
            String head = readHead(in);
            assertThat(head).as("the big file's head").startsWith("HTTP/1.1 200");
            long left = 32L * 1024 * 1024;
            byte[] chunk = new byte[64 * 1024];
            while (left > 0) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
                assertThat(n).as("bytes of the big file, %d still to come", left).isPositive();
                left -= n;
            }
            client.getOutputStream().write("GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
                    .as("the second answer on the connection, after the first went out in many writes (hint: README, "
                            + "\"Task 2\": when the last part is written, the connection goes back to reading)")
                    .startsWith("HTTP/1.1 200").endsWith("hello\n");
        }
    }

    @Test
    @DisplayName("close() ends the event loop before it returns, and every client sees its connection end")
    void closeEndsTheLoop() throws IOException {
        try (Socket idle = new Socket("127.0.0.1", server.port())) {
            assertThat(get("/index.html")).startsWith("HTTP/1.1 200"); // the loop has accepted the idle one by now
            server.close();
            assertThat(Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName))
                    .as("threads named event-loop right after close() returned (hint: README, \"Task 1\")")
                    .doesNotContain("event-loop");
            idle.setSoTimeout(10_000);
            try {
                assertThat(idle.getInputStream().read()).as("what an idle client reads after close()").isEqualTo(-1);
            } catch (java.net.SocketException reset) {
                // a reset also ends the connection
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("a byte of the head").isNotNegative();
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    @DisplayName("three pipelined requests in one packet get three answers, in order")
    void pipelined() throws IOException {
        Files.writeString(docroot.resolve("a.txt"), "a");
        Files.writeString(docroot.resolve("b.txt"), "b");
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            client.setSoTimeout(20_000);
            client.getOutputStream().write(("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /b.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String all = new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(all.split("HTTP/1.1 200 OK", -1)).as("answers in " + all + " (hint: README, \"Task 2\": "
                    + "after one answer is written, parse what is left in the buffer)").hasSize(4);
            assertThat(all.replaceAll("(?s)HTTP/1.1 200 OK.*?\r\n\r\n", "|")).as("the bodies, in order")
                    .isEqualTo("|a|b|a");
        }
    }
}
