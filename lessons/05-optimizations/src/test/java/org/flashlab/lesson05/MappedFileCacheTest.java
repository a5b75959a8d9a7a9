package org.flashlab.lesson05;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task 3, on its own: bytes, bounds and versions. */
class MappedFileCacheTest {
    @TempDir
    Path dir;

    private Path file(String name, int size, int fill) throws Exception {
        byte[] b = new byte[size];
        java.util.Arrays.fill(b, (byte) fill);
        return Files.write(dir.resolve(name), b);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    @DisplayName("a file's bytes come back whole, the second time from the cache, each caller with a view of its own")
    void hits() throws Exception {
        Path a = file("a.bin", 10_000, 'a');
        MappedFileCache cache = new MappedFileCache(1 << 20, 1 << 20);
        ByteBuffer first = cache.get(a, 1000, 10_000);
        ByteBuffer second = cache.get(a, 1000, 10_000);
        assertThat(bytes(first)).isEqualTo(Files.readAllBytes(a));
        assertThat(second.remaining()).as("a second view, unaffected by reading the first").isEqualTo(10_000);
        assertThat(bytes(second)).isEqualTo(Files.readAllBytes(a));
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
        assertThat(cache.bytes()).isEqualTo(10_000);
    }

    @Test
    @DisplayName("bounded in bytes: the least recently used mapping goes first")
    void boundedInBytes() throws Exception {
        Path a = file("a.bin", 40_000, 'a');
        Path b = file("b.bin", 40_000, 'b');
        Path c = file("c.bin", 40_000, 'c');
        MappedFileCache cache = new MappedFileCache(100_000, 100_000);
        cache.get(a, 1, 40_000);
        cache.get(b, 1, 40_000);
        cache.get(a, 1, 40_000); // a is now the most recently used
        cache.get(c, 1, 40_000); // 120,000 bytes > 100,000: b goes
        assertThat(cache.bytes()).as("bytes mapped").isLessThanOrEqualTo(100_000);
        assertThat(cache.size()).isEqualTo(2);
        long misses = cache.misses();
        cache.get(a, 1, 40_000);
        assertThat(cache.misses()).as("misses after asking for a, kept").isEqualTo(misses);
        cache.get(b, 1, 40_000);
        assertThat(cache.misses()).as("misses after asking for b, evicted").isEqualTo(misses + 1);
    }

    @Test
    @DisplayName("a file too big for it is not cached, and neither is an empty one")
    void tooBig() throws Exception {
        Path big = file("big.bin", 300_000, 'x');
        Path empty = file("empty.bin", 0, 'x');
        MappedFileCache cache = new MappedFileCache(1 << 20, 200_000);
        assertThat(cache.get(big, 1, 300_000)).isNull();
        assertThat(cache.get(empty, 1, 0)).isNull();
        assertThat(cache.size()).isZero();
        assertThat(cache.bytes()).isZero();
    }

    @Test
    @DisplayName("a new version of a file (another modification time or size) is mapped afresh")
    void newVersion() throws Exception {
        Path a = file("a.bin", 1000, 'a');
        MappedFileCache cache = new MappedFileCache(1 << 20, 1 << 20);
        cache.get(a, 1000, 1000);
        file("a.bin", 2000, 'b');
        ByteBuffer fresh = cache.get(a, 2000, 2000);
        assertThat(bytes(fresh)).as("the bytes of the new version").isEqualTo(Files.readAllBytes(a));
        assertThat(cache.misses()).isEqualTo(2);
    }
}
