package org.flashlab.lesson04;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import org.flashlab.files.PageCache;
import org.flashlab.files.SimulatedDisk;
import org.flashlab.http.HttpStatus;
import org.flashlab.http.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The residency check: the question the loop asks before it sends, which must never wait itself. */
class ResidencyTest {
    @TempDir
    Path dir;

    private Response fileResponse(Path file, FileChannel channel) throws Exception {
        return Response.file(HttpStatus.OK, ByteBuffer.allocate(0), channel, 0, channel.size(), true, file);
    }

    @Test
    @DisplayName("on the emulated disk: a file not yet read is not resident; once read, it is")
    void emulatedDisk() throws Exception {
        Path file = dir.resolve("data.bin");
        Files.write(file, new byte[200 * 1024]);
        SimulatedDisk disk = new SimulatedDisk(64L * 1024 * 1024, Duration.ZERO);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Response r = fileResponse(file, channel);
            assertThat(Residency.resident(r, disk)).as("resident before any read").isFalse();
            disk.read(file, 0, channel.size());
            assertThat(Residency.resident(r, disk)).as("resident after the disk read it").isTrue();
        }
    }

    @Test
    @DisplayName("a response with no file to read (an error page) is resident: there is nothing to wait for")
    void nothingToRead() throws Exception {
        Response error = Response.error(HttpStatus.NOT_FOUND, true, false);
        assertThat(Residency.resident(error, new SimulatedDisk(0, Duration.ZERO))).isTrue();
        assertThat(Residency.resident(error, null)).isTrue();
    }

    @Test
    @DisplayName("on the real disk: the kernel says an evicted file is not resident, and a loaded one is")
    void realDisk() throws Exception {
        assumeTrue(PageCache.evictionSupported(), "evicting a file from the page cache needs posix_fadvise (Linux)");
        Path file = dir.resolve("real.bin");
        Files.write(file, new byte[1024 * 1024]);
        PageCache.evict(file, true);
        assumeTrue(PageCache.residentBytes(file) == 0, "this file system keeps files in memory (tmpfs?): nothing to evict");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Response r = fileResponse(file, channel);
            assertThat(Residency.resident(r, null)).as("resident just after eviction").isFalse();
            Residency.load(channel, 0, channel.size());
            assertThat(Residency.resident(r, null)).as("resident after a helper's load").isTrue();
        }
    }
}
