package org.flashlab.lesson05;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.flashlab.contract.RawClient;
import org.flashlab.contract.RawResponse;
import org.flashlab.files.Optimizations;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switches through the server: each cache is used when it is on and not when it is off, no
 * switch changes an answer a client can see, and a changed file is served changed.
 */
class OptimizationsTest {
    private static final List<String> TARGETS = List.of("/index.html", "/small.txt", "/docs/", "/docs",
            "/missing.html", "/big.bin", "/empty.txt", "/a%20b.txt");

    @TempDir
    Path dir;

    private Path site() throws Exception {
        Path site = Files.createDirectory(dir.resolve("www"));
        Files.writeString(site.resolve("index.html"), "<h1>Flash</h1>\n");
        Files.writeString(site.resolve("small.txt"), "x".repeat(1000));
        Files.writeString(site.resolve("a b.txt"), "a space\n");
        Files.writeString(site.resolve("empty.txt"), "");
        Files.createDirectory(site.resolve("docs"));
        Files.writeString(site.resolve("docs/index.html"), "<p>docs</p>\n");
        byte[] big = new byte[3 * 1024 * 1024]; // above the mapped-file cache's largest file
        new java.util.Random(5).nextBytes(big);
        Files.write(site.resolve("big.bin"), big);
        return site;
    }

    private static Optimizations only(String which) {
        return new Optimizations(which.equals("path"), which.equals("header"), which.equals("mapped"),
                Optimizations.DEFAULT_MAPPED_CACHE_BYTES, which.equals("gather"), which.equals("zerocopy"));
    }

    /** Each target asked twice, on one keep-alive connection; the answers with the Date line blanked. */
    private static Map<String, String> answers(Path site, Optimizations o, List<FlashServer> keep) throws Exception {
        FlashServer server = new FlashServer(ServerConfig.of(site).withOptimizations(o).withIdleTimeout(Duration.ofSeconds(30)));
        server.start();
        keep.add(server);
        Map<String, String> seen = new TreeMap<>();
        try (RawClient c = new RawClient(server.port())) {
            for (int round = 0; round < 2; round++) {
                for (String t : TARGETS) {
                    RawResponse r = c.get(t);
                    seen.put(t + " #" + round, r.statusLine() + " " + withoutDate(r.headers()) + " "
                            + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(r.body())));
                }
            }
        }
        return seen;
    }

    private static String withoutDate(Map<String, List<String>> headers) {
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        h.remove("Date");
        return h.toString();
    }

    @Test
    @DisplayName("each switch alone gives every answer that all off gives, byte for byte but the Date")
    void noSwitchChangesAnAnswer() throws Exception {
        Path site = site();
        List<FlashServer> servers = new ArrayList<>();
        try {
            Map<String, String> plain = answers(site, Optimizations.ALL_OFF, servers);
            for (String which : List.of("path", "header", "mapped", "gather", "zerocopy")) {
                assertThat(answers(site, only(which), servers)).as("answers with only the %s switch on", which).isEqualTo(plain);
            }
            assertThat(answers(site, Optimizations.ALL_ON, servers)).as("answers with every switch on").isEqualTo(plain);
        } finally {
            servers.forEach(FlashServer::close);
        }
    }

    @Test
    @DisplayName("each cache is used when on (hits), and left alone when off")
    void eachCacheIsUsed() throws Exception {
        Path site = site();
        try (FlashServer on = new FlashServer(ServerConfig.of(site).withOptimizations(Optimizations.ALL_ON));
             FlashServer off = new FlashServer(ServerConfig.of(site).withOptimizations(Optimizations.ALL_OFF))) {
            on.start();
            off.start();
            for (FlashServer s : List.of(on, off)) {
                try (RawClient c = new RawClient(s.port())) {
                    for (int i = 0; i < 3; i++) {
                        assertThat(c.get("/small.txt").status()).isEqualTo(200);
                    }
                }
            }
            FlashHandler h = on.handler();
            assertThat(h.pathnameCache().hits()).as("pathname cache hits after three requests for one file").isEqualTo(2);
            assertThat(h.headerCache().hits()).as("header cache hits").isEqualTo(2);
            assertThat(h.mappedFileCache().hits()).as("mapped-file cache hits").isEqualTo(2);
            assertThat(off.handler().pathnameCache()).as("the pathname cache, switched off").isNull();
            assertThat(off.handler().headerCache()).isNull();
            assertThat(off.handler().mappedFileCache()).isNull();
        }
    }

    @Test
    @DisplayName("a file rewritten (new bytes, new size, later time) is served new at once, every cache on")
    void aChangedFileIsServedChanged() throws Exception {
        Path site = site();
        try (FlashServer server = new FlashServer(ServerConfig.of(site).withOptimizations(Optimizations.ALL_ON))) {
            server.start();
            try (RawClient c = new RawClient(server.port())) {
                assertThat(c.get("/index.html").bodyText()).isEqualTo("<h1>Flash</h1>\n");
                assertThat(c.get("/index.html").bodyText()).isEqualTo("<h1>Flash</h1>\n"); // every cache now holds it
                Path index = site.resolve("index.html");
                Files.writeString(index, "<h1>Flash, revised</h1>\n");
                Files.setLastModifiedTime(index, FileTime.fromMillis(Files.getLastModifiedTime(index).toMillis() + 5_000));
                RawResponse r = c.get("/index.html");
                assertThat(r.bodyText()).as("the new bytes").isEqualTo("<h1>Flash, revised</h1>\n");
                assertThat(r.header("Content-Length")).isEqualTo("24");
                Files.delete(index);
                assertThat(c.get("/index.html").status()).as("a file deleted after it was cached").isEqualTo(404);
            }
        }
    }

    @Test
    @DisplayName("gather writes send head and body in one call; zero copy sends file bytes by sendfile, else by copying")
    void howTheBytesGoOut() throws Exception {
        Path site = site();
        try (FlashServer fast = new FlashServer(ServerConfig.of(site).withOptimizations(only("gather")));
             FlashServer zero = new FlashServer(ServerConfig.of(site).withOptimizations(only("zerocopy")));
             FlashServer plain = new FlashServer(ServerConfig.of(site).withOptimizations(Optimizations.ALL_OFF))) {
            for (FlashServer s : List.of(fast, zero, plain)) {
                s.start();
                try (RawClient c = new RawClient(s.port())) {
                    assertThat(c.get("/index.html").bodyText()).isEqualTo("<h1>Flash</h1>\n");
                    assertThat(c.get("/big.bin").body()).hasSize(3 * 1024 * 1024);
                }
            }
            assertThat(fast.sent().gatheredWrites()).as("vectored writes with gather on").isPositive();
            assertThat(plain.sent().gatheredWrites()).as("vectored writes with gather off").isZero();
            assertThat(zero.sent().sentFileBytes()).as("bytes sent by sendfile with zero copy on")
                    .isEqualTo(15 + 3 * 1024 * 1024);
            assertThat(zero.sent().copiedFileBytes()).as("bytes copied with zero copy on").isZero();
            assertThat(plain.sent().copiedFileBytes()).as("bytes copied through a buffer with zero copy off")
                    .isEqualTo(15 + 3 * 1024 * 1024);
            assertThat(plain.sent().sentFileBytes()).isZero();
        }
    }
}
