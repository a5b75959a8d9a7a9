package org.flashlab.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.flashlab.http.HttpRequest;
import org.flashlab.http.HttpStatus;
import org.flashlab.http.RequestParser;
import org.flashlab.http.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
            assertThat(hit.body()).as("served from the mapped-file cache").isInstanceOf(MappedByteBuffer.class);
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
        assertThat(cache.get(a, 1, 4)).isNotNull();
        assertThat(cache.get(b, 1, 8)).isNotNull();
        assertThat(cache.size()).as("4 + 8 bytes exceed 10: a goes").isEqualTo(1);
        assertThat(cache.bytes()).isEqualTo(8);
        Files.write(www.resolve("big.bin"), new byte[11]);
        assertThat(cache.get(www.resolve("big.bin"), 1, 11)).as("larger than the whole cache").isNull();
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
