package org.flashlab.lesson05;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Task 3: Flash's mapped-file cache. A hit serves a file from a mapping made earlier: no open(), no
 * read(), no close(), only bytes already in memory. Bounded in bytes (Flash used 128 MB), least
 * recently used out first; a file larger than {@link #maxFileBytes} is never cached, so that one
 * big file cannot push out hundreds of small ones.
 *
 * The key holds the modification time and size (the caller stats the file on each request), so a
 * changed file is mapped afresh: a mapping of a file rewritten in place would show its new bytes, or
 * fault past a truncated end. An evicted mapping is dropped, and the garbage collector unmaps it
 * later; Flash called munmap at once (the shared layer's files.MappedFileCache does too, with leases
 * and an Arena). Loop thread only.
 */
public final class MappedFileCache {
    /** A mapping is valid for this version of this file. */
    record Key(Path path, long lastModifiedMillis, long size) {}

    private final long maxBytes;
    private final long maxFileBytes;
    private long bytes;
    private long hits;
    private long misses;

    public MappedFileCache(long maxBytes, long maxFileBytes) {
        this.maxBytes = maxBytes;
        this.maxFileBytes = Math.min(maxFileBytes, maxBytes);
    }

    /**
     * The file's bytes, from a cached mapping or a new one; null when the file is not cached (too big,
     * or empty). The buffer is the caller's own view (its position and limit), of shared memory.
     */
    public ByteBuffer get(Path path, long lastModifiedMillis, long size) throws IOException {
        // TODO Task 3: a hit returns a duplicate() of the cached mapping; a miss maps the file
        // (FileChannel.map), caches it, and evicts the least recently used beyond maxBytes (README, "Task 3").
        misses++;
        return null;
    }

    /** Bytes mapped by the cache now. */
    public long bytes() {
        return bytes;
    }

    public int size() {
        return 0; // TODO Task 3
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }
}
