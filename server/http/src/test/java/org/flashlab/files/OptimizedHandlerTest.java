package org.flashlab.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;

import org.flashlab.http.HttpRequest;
import org.flashlab.http.HttpStatus;
import org.flashlab.http.RequestParser;
import org.flashlab.http.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The Flash caches change how a response is made, never what it says. */
class OptimizedHandlerTest {
    @TempDir
    Path www;

    @BeforeEach
    void site() throws IOException {
        Files.writeString(www.resolve("a.txt"), "aaaa");
        Files.writeString(www.resolve("b.txt"), "bbbbbbbb");
        Files.createDirectories(www.resolve("d"));
    }

    private static HttpRequest get(String target, String... extra) {
        RequestParser parser = new RequestParser();
        String text = "GET " + target + " HTTP/1.1\r\nHost: h\r\n" + String.join("", extra) + "\r\n";
        parser.parse(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
        return parser.request();
    }

    private static String head(Response r) {
        String h = StandardCharsets.ISO_8859_1.decode(r.head().duplicate()).toString();
        return h.replaceAll("Date: [^\r]*\r\n", ""); // the one line that changes
    }

    @Test
    void cachedResponsesAreTheSameAsUncachedOnes() throws IOException {
        StaticFileHandler plain = new StaticFileHandler(new DocumentRoot(www), Optimizations.ALL_OFF);
        StaticFileHandler fast = new StaticFileHandler(new DocumentRoot(www), Optimizations.ALL_ON);
        assertThat(fast.optimizations()).isEqualTo(Optimizations.ALL_ON);
        for (int round = 0; round < 3; round++) { // round 0 fills the caches, later rounds hit them
            for (String target : new String[] {"/a.txt", "/b.txt", "/d", "/missing"}) {
                try (Response expected = plain.respond(get(target)); Response actual = fast.respond(get(target))) {
                    assertThat(actual.status()).isEqualTo(expected.status());
                    assertThat(head(actual)).as(target).isEqualTo(head(expected));
                    assertThat(actual.bodyLength()).isEqualTo(expected.bodyLength());
                }
            }
        }
        try (Response hit = fast.respond(get("/a.txt"))) {
            assertThat(hit.lease()).as("served from the mapped-file cache").isInstanceOf(MappedBody.class);
            assertThat(hit.file()).isNull();
            assertThat(hit.source()).isEqualTo(www.resolve("a.txt").toRealPath());
        }
        try (Response ranged = fast.respond(get("/a.txt", "Range: bytes=1-2\r\n"))) {
            assertThat(ranged.status()).as("ranges bypass the caches").isEqualTo(HttpStatus.PARTIAL_CONTENT);
        }
    }

    @Test
    void aChangedFileIsMappedAgainEvenWithThePathCacheOn() throws IOException {
        StaticFileHandler fast = new StaticFileHandler(new DocumentRoot(www), Optimizations.ALL_ON);
        try (Response first = fast.respond(get("/a.txt"))) {
            assertThat(first.bodyLength()).isEqualTo(4);
        }
        Files.writeString(www.resolve("a.txt"), "a longer body"); // same second, new size: still noticed
        try (Response second = fast.respond(get("/a.txt"))) {
            assertThat(second.bodyLength()).isEqualTo(13);
            assertThat(head(second)).contains("Content-Length: 13\r\n");
        }
    }

    @Test
    void theMappedCacheEvictsLeastRecentlyUsedBeyondItsBound() throws IOException {
        MappedFileCache cache = new MappedFileCache(10);
        Path a = www.resolve("a.txt").toRealPath();
        Path b = www.resolve("b.txt").toRealPath();
        try (MappedFileCache.Lease first = cache.get(a, 1, 4); MappedFileCache.Lease second = cache.get(b, 1, 8)) {
            assertThat(first).isNotNull();
            assertThat(second).isNotNull();
            assertThat(cache.size()).as("4 + 8 bytes exceed 10: a goes").isEqualTo(1);
            assertThat(cache.bytes()).isEqualTo(8);
        }
        Files.write(www.resolve("big.bin"), new byte[11]);
        assertThat(cache.get(www.resolve("big.bin"), 1, 11)).as("larger than the whole cache").isNull();
    }

    /**
     * An evicted mapping stays mapped while a response still sends from it, and is unmapped the
     * moment the last response lets go: not whenever the garbage collector runs.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void anEvictedMappingLivesUntilItsLastResponseIsClosed() throws IOException {
        MappedFileCache cache = new MappedFileCache(10);
        Path a = www.resolve("a.txt").toRealPath();
        Path b = www.resolve("b.txt").toRealPath();
        MappedFileCache.Lease inFlight = cache.get(a, 1, 4);
        cache.get(b, 1, 8).close(); // evicts a from the cache
        assertThat(cache.size()).isEqualTo(1);
        assertThat(mappingsOf(a)).as("a response is still sending a").isEqualTo(1);
        assertThat(StandardCharsets.US_ASCII.decode(inFlight.body().duplicate()).toString()).isEqualTo(readString(a));
        inFlight.close();
        inFlight.close(); // twice is harmless
        assertThat(mappingsOf(a)).as("unmapped at once, without a GC").isZero();
        assertThat(mappingsOf(b)).as("b is still cached").isEqualTo(1);
    }

    /** A helper's own hold keeps the pages mapped after the response lets go. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aRetainedHoldOutlivesTheResponse() throws IOException {
        MappedFileCache cache = new MappedFileCache(10);
        Path a = www.resolve("a.txt").toRealPath();
        MappedFileCache.Lease response = cache.get(a, 1, 4);
        MappedBody helper = response.retain();
        cache.get(www.resolve("b.txt").toRealPath(), 1, 8).close(); // evicts a
        response.close();
        assertThat(mappingsOf(a)).as("the helper still reads a").isEqualTo(1);
        helper.load();
        assertThat(helper.isLoaded()).as("load() faulted every page in").isTrue();
        helper.close();
        assertThat(mappingsOf(a)).isZero();
        assertThatThrownBy(response::retain).isInstanceOf(IllegalStateException.class);
    }

    /**
     * A walk through many times the cache's worth of distinct files, with a few responses held open
     * at a time as in-flight sends are: the process never has more of these files mapped than the
     * cache holds plus the responses in flight. Left to the collector, the mappings piled up.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void mappingsNeverExceedTheCachePlusWhatIsInFlight() throws IOException {
        Path many = Files.createDirectories(www.resolve("many"));
        int files = 3_000;
        byte[] page = new byte[4096];
        for (int i = 0; i < files; i++) {
            Files.write(many.resolve(i + ".bin"), page);
        }
        int cached = 16;
        int inFlight = 8;
        StaticFileHandler handler = new StaticFileHandler(new DocumentRoot(www),
                new Optimizations(true, true, true, cached * 4096L, true, true));
        ArrayDeque<Response> sending = new ArrayDeque<>();
        long most = 0;
        for (int i = 0; i < files; i++) {
            Response r = handler.respond(get("/many/" + i + ".bin"));
            assertThat(r.lease()).as("served from the mapped-file cache").isNotNull();
            sending.add(r);
            if (sending.size() > inFlight) {
                sending.poll().close(); // the oldest send has finished
            }
            if (i % 100 == 0) {
                most = Math.max(most, mappingsUnder(many));
            }
        }
        for (Response r : sending) {
            r.close();
        }
        assertThat(most).as("mappings of the walked files at their most").isLessThanOrEqualTo(cached + inFlight);
        assertThat(mappingsUnder(many)).as("after the walk only the cache's entries stay mapped")
                .isLessThanOrEqualTo(cached);
    }

    /** A stopped server's handler unmaps its cache, and maps nothing more; sends in flight finish. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void closingTheHandlerUnmapsItsCache() throws IOException {
        StaticFileHandler handler = new StaticFileHandler(new DocumentRoot(www), Optimizations.ALL_ON);
        Path a = www.resolve("a.txt").toRealPath();
        Path b = www.resolve("b.txt").toRealPath();
        Response sending = handler.respond(get("/a.txt"));
        handler.respond(get("/b.txt")).close();
        handler.close();
        assertThat(mappingsOf(b)).as("cached only: unmapped by close").isZero();
        assertThat(mappingsOf(a)).as("still being sent").isEqualTo(1);
        sending.close();
        assertThat(mappingsOf(a)).isZero();
        try (Response after = handler.respond(get("/a.txt"))) {
            assertThat(after.lease()).as("after close, sent from the file").isNull();
            assertThat(after.bodyLength()).isEqualTo(4);
        }
        handler.close(); // twice is harmless
    }

    /** A changed file is mapped again; the old mapping goes once its last response is closed. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aChangedFileIsMappedAgainAndItsOldMappingReleased() throws IOException {
        MappedFileCache cache = new MappedFileCache(1024);
        Path a = www.resolve("a.txt").toRealPath();
        MappedFileCache.Lease old = cache.get(a, 1, 4);
        Files.writeString(a, "aaaaaa");
        try (MappedFileCache.Lease fresh = cache.get(a, 2, 6)) {
            assertThat(fresh.body().remaining()).isEqualTo(6);
            assertThat(cache.size()).isEqualTo(1);
            assertThat(cache.bytes()).isEqualTo(6);
            assertThat(mappingsOf(a)).as("the old one is still being sent").isEqualTo(2);
            old.close();
            assertThat(mappingsOf(a)).isEqualTo(1);
        }
        assertThat(cache.get(www.resolve("d"), 1, 0)).as("nothing to map in an empty or odd file").isNull();
    }

    /** Closing a response lets go of its lease; a lease that fails says so as an IOException. */
    @Test
    void closingAResponseReleasesItsLeaseAndReportsAFailure() {
        int[] closed = {0};
        Response ok = Response.mapped(HttpStatus.OK, ByteBuffer.allocate(0), ByteBuffer.allocate(0), true, null,
                () -> closed[0]++);
        assertThatCode(ok::close).doesNotThrowAnyException();
        assertThat(closed[0]).isEqualTo(1);
        Response checked = Response.mapped(HttpStatus.OK, ByteBuffer.allocate(0), ByteBuffer.allocate(0), true, null,
                () -> {
                    throw new Exception("lease broke");
                });
        assertThatThrownBy(checked::close).isInstanceOf(IOException.class).hasRootCauseMessage("lease broke");
        Response unchecked = Response.mapped(HttpStatus.OK, ByteBuffer.allocate(0), ByteBuffer.allocate(0), true, null,
                () -> {
                    throw new IllegalStateException("twice");
                });
        assertThatThrownBy(unchecked::close).isInstanceOf(IllegalStateException.class);
    }

    /** Lines of /proc/self/maps that map this file. */
    private static long mappingsOf(Path file) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.endsWith(" " + file)).count();
    }

    /** Lines of /proc/self/maps that map a file under this folder. */
    private static long mappingsUnder(Path folder) throws IOException {
        String prefix = " " + folder.toRealPath() + "/";
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains(prefix)).count();
    }

    private static String readString(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII);
    }

    @Test
    void thePathCacheIsBoundedAndLabelsSayWhatIsOn() {
        PathCache cache = new PathCache(2);
        cache.put("/1", new DocumentRoot.Redirect("/1/"));
        cache.put("/2", new DocumentRoot.Redirect("/2/"));
        cache.put("/3", new DocumentRoot.Redirect("/3/"));
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get("/3")).isNotNull();
        assertThat(Optimizations.ALL_ON.label()).isEqualTo("path+header+mapped+gather+zerocopy");
        assertThat(Optimizations.ALL_OFF.label()).isEqualTo("none");
        HeaderCache headers = new HeaderCache(1);
        headers.put(Path.of("/x"), true, 1, 1, new byte[] {1});
        headers.put(Path.of("/y"), true, 1, 1, new byte[] {2});
        assertThat(headers.tail(Path.of("/x"), true, 1, 1)).isNull();
        assertThat(headers.tail(Path.of("/y"), true, 1, 2)).as("another size is another file").isNull();
    }
}
