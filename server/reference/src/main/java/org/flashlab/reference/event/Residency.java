package org.flashlab.reference.event;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;

import org.flashlab.files.MappedBody;
import org.flashlab.http.Response;

/**
 * Java's mincore(2): whether a response's bytes are in memory, and a way to bring them there.
 * {@code isLoaded()} (of a cached mapping, or of a mapped MemorySegment) asks the kernel without
 * touching the pages, so it never blocks on the disk; {@code load()} touches every page, which is the
 * blocking part AMTED and AMPED give to a helper. isLoaded is a hint: a page can be evicted right
 * after the check, and then the loop blocks once, as Flash's did.
 */
public final class Residency {
    private Residency() {}

    /** True when sending the response will not read the disk (as far as the kernel can tell now). */
    public static boolean resident(Response response) throws IOException {
        if (response.lease() instanceof MappedBody mapped) {
            return mapped.isLoaded();
        }
        if (response.file() == null || response.fileCount() == 0) {
            return true; // nothing to read: a head, an error page, an empty file
        }
        // A mapping scoped to this call and unmapped at its end, rather than a MappedByteBuffer left
        // for the GC: mappings would pile up (against vm.max_map_count) between collections. This
        // one never holds pages, since isLoaded faults nothing in.
        try (Arena arena = Arena.ofConfined()) {
            return response.file().map(FileChannel.MapMode.READ_ONLY, response.filePosition(), response.fileCount(), arena)
                    .isLoaded();
        }
    }

    /** Faults every page of the response's bytes into memory. Blocks on the disk: helpers only. */
    public static void load(Response response) throws IOException {
        if (response.lease() instanceof MappedBody mapped) {
            mapped.load();
        } else if (response.file() != null) {
            load(response.file(), response.filePosition(), response.fileCount());
        }
    }

    /**
     * Faults a region of a file into memory (AMPED's helper processes), and unmaps it at once: the
     * kernel cannot evict pages that a process has mapped, so a mapping left for the GC would keep
     * the helper's pages in the cache and defeat the grader's memory budget.
     */
    public static void load(FileChannel file, long position, long count) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            file.map(FileChannel.MapMode.READ_ONLY, position, count, arena).load();
        }
    }
}
