package org.flashlab.lesson05;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.flashlab.files.Optimizations;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The caches change no deadline: an idle connection still closes, and so does one with half a request. */
@Timeout(60)
class TimeoutsTest {
    @TempDir
    Path dir;

    private FlashServer start() throws Exception {
        Path site = Files.createDirectory(dir.resolve("www"));
        Files.writeString(site.resolve("index.html"), "<h1>Flash</h1>\n");
        FlashServer server = new FlashServer(ServerConfig.of(site).withOptimizations(Optimizations.ALL_ON)
                .withIdleTimeout(Duration.ofSeconds(1)));
        server.start();
        return server;
    }

    @Test
    @DisplayName("a kept-alive connection left idle is closed after the idle timeout")
    void idleConnectionCloses() throws Exception {
        try (FlashServer server = start(); Socket c = new Socket("127.0.0.1", server.port())) {
            c.setSoTimeout(30_000);
            c.getOutputStream().write("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(c.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).as("one answer, then the end of the stream once the connection sat idle")
                    .startsWith("HTTP/1.1 200 ").endsWith("<h1>Flash</h1>\n");
        }
    }

    @Test
    @DisplayName("half a request, left unfinished past the idle timeout, is cut off")
    void halfARequestIsCutOff() throws Exception {
        try (FlashServer server = start(); Socket c = new Socket("127.0.0.1", server.port())) {
            c.setSoTimeout(30_000);
            c.getOutputStream().write("GET /index.html HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.getInputStream().readAllBytes()).as("what half a request gets: the connection closed, "
                    + "no answer").isEmpty();
        }
    }
}
