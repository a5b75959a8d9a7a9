package org.flashlab.lesson05;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.flashlab.http.HttpDate;
import org.flashlab.http.HttpStatus;
import org.flashlab.http.ResponseHead;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Task 2, on its own: built once, then only the Date line is new. */
class HeaderCacheTest {
    private static final Path FILE = Path.of("/www/a.html");

    private static String text(ByteBuffer b) {
        return StandardCharsets.ISO_8859_1.decode(b.duplicate()).toString();
    }

    private static Supplier<ByteBuffer> builder(AtomicInteger builds, long size) {
        return () -> {
            builds.incrementAndGet();
            return ResponseHead.status(HttpStatus.OK).header("Content-Type", "text/html")
                    .header("Content-Length", size).build(true);
        };
    }

    @Test
    @DisplayName("the head is built once; later ones are the same bytes with a fresh status line and Date")
    void buildsOnce() {
        HeaderCache cache = new HeaderCache(100);
        AtomicInteger builds = new AtomicInteger();
        String first = text(cache.okHead(FILE, 1000, 42, true, builder(builds, 42)));
        String second = text(cache.okHead(FILE, 1000, 42, true, builder(builds, 42)));
        assertThat(builds).as("times the head was built").hasValue(1);
        assertThat(second).startsWith("HTTP/1.1 200 OK\r\nDate: ");
        assertThat(second.substring(second.indexOf("Server:"))).isEqualTo(first.substring(first.indexOf("Server:")));
        assertThat(second).contains("Date: " + HttpDate.now().substring(0, 5)); // a Date of today's weekday, at least
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    @DisplayName("a changed file (modification time or size) and another keep-alive get heads of their own")
    void changedFile() {
        HeaderCache cache = new HeaderCache(100);
        AtomicInteger builds = new AtomicInteger();
        cache.okHead(FILE, 1000, 42, true, builder(builds, 42));
        assertThat(text(cache.okHead(FILE, 2000, 42, true, builder(builds, 42)))).contains("Content-Length: 42");
        assertThat(text(cache.okHead(FILE, 2000, 99, true, builder(builds, 99)))).contains("Content-Length: 99");
        cache.okHead(FILE, 2000, 99, false, builder(builds, 99));
        assertThat(builds).as("heads built: one per version and keep-alive").hasValue(4);
        assertThat(cache.hits()).isZero();
    }
}
