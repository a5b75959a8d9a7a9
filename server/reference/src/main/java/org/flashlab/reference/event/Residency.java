package org.flashlab.reference.event;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

import org.flashlab.http.Response;

/**
 * Java's mincore(2): whether a response's bytes are in memory, and a way to bring them there.
 * {@link MappedByteBuffer#isLoaded()} asks the kernel page by page without touching the pages, so
 * it never blocks on the disk; {@link MappedByteBuffer#load()} touches every page, which is the
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
        for (long at = response.filePosition(); at < response.filePosition() + response.fileCount(); at += MAX_MAP) {
            long count = Math.min(MAX_MAP, response.filePosition() + response.fileCount() - at);
            if (!map(response.file(), at, count).isLoaded()) {
                return false;
            }
        }
        return true;
    }

    /** Faults every page of the response's bytes into memory. Blocks on the disk: helpers only. */
    public static void load(Response response) throws IOException {
        if (response.body() instanceof MappedByteBuffer mapped) {
            mapped.load();
        } else if (response.file() != null) {
            load(response.file(), response.filePosition(), response.fileCount());
        }
    }

    /** Faults a region of a file into memory (AMPED's helper processes). */
    public static void load(FileChannel file, long position, long count) throws IOException {
        for (long at = position; at < position + count; at += MAX_MAP) {
            map(file, at, Math.min(MAX_MAP, position + count - at)).load();
        }
    }

    /** One mapping may not exceed 2 GiB; larger regions are checked and loaded in pieces. */
    private static final long MAX_MAP = 1L << 30;

    private static MappedByteBuffer map(FileChannel file, long position, long count) throws IOException {
        return file.map(FileChannel.MapMode.READ_ONLY, position, count);
    }
}
