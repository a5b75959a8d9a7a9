package org.flashlab.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageCacheTest {
    @TempDir
    Path dir;

    @Test
    void evictsAFileAndReadingBringsItBack() throws IOException {
        assumeTrue(PageCache.evictionSupported(), "page-cache eviction needs Linux");
        Path file = dir.resolve("cold.bin");
        byte[] data = new byte[4 * 1024 * 1024];
        new Random(1).nextBytes(data);
        Files.write(file, data);
        assertThat(PageCache.residentFraction(file)).as("just written, so in memory").isEqualTo(1.0);
        assertThat(PageCache.residentBytes(file)).isEqualTo(data.length);

        PageCache.evict(file);
        assertThat(PageCache.residentBytes(file)).as("the two measures agree")
                .isEqualTo(Math.round(PageCache.residentFraction(file) * data.length));
        double afterEviction = PageCache.residentFraction(file);
        assumeTrue(afterEviction < 1.0, "this filesystem keeps files in memory (tmpfs?): " + dir);
        assertThat(afterEviction).as("resident after eviction").isLessThan(0.1);

        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        assertThat(PageCache.residentFraction(file)).as("resident after reading it").isEqualTo(1.0);
    }

    @Test
    void residentBytesCountsWholePagesButNeverMoreThanTheFile() throws IOException {
        Path file = dir.resolve("odd.bin");
        Files.write(file, new byte[10_000]); // two and a half pages
        assertThat(PageCache.residentBytes(file)).isEqualTo(10_000);
        assertThat(PageCache.residentBytes(Files.createFile(dir.resolve("none")))).isZero();
    }

    @Test
    void anEmptyFileIsAlwaysResident() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty"));
        assertThat(PageCache.residentFraction(empty)).isEqualTo(1.0);
        assertThat(PageCache.residentBytes(empty)).as("but it holds no bytes").isZero();
    }

    @Test
    void aKeptMappingAnswersAgainAndAgainWithoutFaultingPagesIn() throws IOException {
        assumeTrue(PageCache.evictionSupported(), "needs Linux");
        Path file = dir.resolve("kept.bin");
        Files.write(file, new byte[256 * 1024]);
        PageCache.syncFileSystem(file); // written out: evicting needs no sync after this
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file);
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment map = ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            assertThat(PageCache.residentBytes(map)).isEqualTo(256 * 1024);
            PageCache.evict(file, false);
            long after = PageCache.residentBytes(map);
            assumeTrue(after < 256 * 1024, "this filesystem keeps files in memory (tmpfs?)");
            assertThat(after).as("the mapping itself brought nothing back").isLessThan(256 * 1024 / 10);
            assertThat(PageCache.residentBytes(map)).as("asking again reads nothing").isEqualTo(after);
        }
    }

    /** mmap and munmap as Flash used them: the bytes of the file, and clear errors for bad input. */
    @Test
    void aRawMappingHoldsTheFilesBytesAndRefusesWhatMmapCannotDo() throws IOException {
        assumeTrue(PageCache.mappingSupported(), "mmap through FFM needs Linux");
        Path file = Files.writeString(dir.resolve("raw.txt"), "flash");
        MemorySegment mapping = PageCache.mapReadOnly(file, 5);
        try {
            byte[] bytes = mapping.toArray(ValueLayout.JAVA_BYTE);
            assertThat(new String(bytes, StandardCharsets.US_ASCII))
                    .isEqualTo("flash");
            assertThat(PageCache.allResident(mapping)).as("just written").isTrue();
        } finally {
            PageCache.unmap(mapping);
        }
        assertThatThrownBy(() -> PageCache.mapReadOnly(file, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PageCache.mapReadOnly(dir.resolve("missing"), 4))
                .isInstanceOf(IOException.class).hasMessageContaining("missing");
    }
}
