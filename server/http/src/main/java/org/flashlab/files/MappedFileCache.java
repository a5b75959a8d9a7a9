package org.flashlab.files;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Flash's mapped-file cache: whole files kept memory-mapped, least recently used evicted first,
 * bounded by the bytes mapped. A hit needs no open(), read() or close(): the body is a view of the
 * mapping, and for AMTED/AMPED {@link java.nio.MappedByteBuffer#isLoaded()} (mincore(2)) says whether
 * sending it would touch the disk.
 *
 * <p>Mappings are unmapped when they are no longer used, not when the garbage collector gets round
 * to them. Each mapping lives in its own shared {@link Arena} and counts its users: the cache holds
 * one reference while the entry is cached, and every response sent from it holds a {@link Lease}.
 * The last one to let go closes the arena, which unmaps the file at once. So the number of mappings
 * stays within the cache's entries plus the responses in flight, whatever the heap size: left to the
 * collector, a server walking a large dataset piled up mappings until mmap failed at
 * {@code vm.max_map_count} (65,530 by default) and the JVM aborted.
 *
 * <p>An entry is valid for one (path, mtime, size), which the caller reads with a fresh stat; a
 * changed file is mapped again. A file truncated in place while a response is being sent from its
 * old mapping can still fault (SIGBUS) in that send: the hazard every mmap-based server, Flash
 * included, accepts. Guarded by its own lock; hits are short.
 */
final class MappedFileCache {
    private final long maxBytes;
    private final LinkedHashMap<Path, Mapping> entries = new LinkedHashMap<>(64, 0.75f, true); // guarded by this
    private long bytes; // guarded by this

    MappedFileCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * A lease on the file's mapping, mapped now if it is not cached or has changed; null when the
     * file is larger than the whole cache (it is then sent from the file instead). The caller must
     * close the lease once the body has been sent or abandoned.
     */
    Lease get(Path path, long lastModifiedMillis, long size) throws IOException {
        synchronized (this) {
            Mapping m = entries.get(path);
            if (m != null && m.lastModifiedMillis == lastModifiedMillis && m.size == size) {
                return m.lease();
            }
        }
        Mapping fresh;
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            long actual = file.size(); // the file may have changed since the caller's stat
            if (actual > maxBytes || actual > Integer.MAX_VALUE) {
                return null;
            }
            fresh = new Mapping(file, lastModifiedMillis, actual);
        }
        Lease lease;
        List<Mapping> evicted = new ArrayList<>();
        synchronized (this) {
            lease = fresh.lease();
            Mapping old = entries.put(path, fresh);
            bytes += fresh.size;
            if (old != null) {
                bytes -= old.size;
                evicted.add(old);
            }
            Iterator<Map.Entry<Path, Mapping>> eldest = entries.entrySet().iterator();
            while (bytes > maxBytes && eldest.hasNext()) {
                Map.Entry<Path, Mapping> victim = eldest.next();
                if (victim.getKey().equals(path)) {
                    continue;
                }
                bytes -= victim.getValue().size;
                evicted.add(victim.getValue());
                eldest.remove();
            }
        }
        // Outside the lock: the last release unmaps, which makes every thread pause briefly.
        for (Mapping m : evicted) {
            m.release();
        }
        return lease;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return entries.size();
    }

    /** Mappings still in memory that this cache made: its entries plus those kept alive by leases. */
    static int liveMappings() {
        return Mapping.LIVE.get();
    }

    /**
     * A response's hold on a cached mapping: {@link #body()} stays valid until {@link #close()}.
     * Closing twice is harmless; using the body after closing fails with IllegalStateException
     * rather than reading unmapped memory.
     */
    static final class Lease implements AutoCloseable {
        private final Mapping mapping;
        private final ByteBuffer body;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Lease(Mapping mapping) {
            this.mapping = mapping;
            this.body = mapping.segmentBuffer(); // a MappedByteBuffer, with its own position and limit
        }

        ByteBuffer body() {
            return body;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                mapping.release();
            }
        }
    }

    /** One file's mapping and the count of its holders (the cache, and each lease). */
    private static final class Mapping {
        static final AtomicInteger LIVE = new AtomicInteger();

        final long lastModifiedMillis;
        final long size;
        private final Arena arena = Arena.ofShared(); // shared: the loop, helpers and pool threads all send from it
        private final ByteBuffer whole;
        private int holders = 1; // the cache's own; guarded by this

        Mapping(FileChannel file, long lastModifiedMillis, long size) throws IOException {
            this.lastModifiedMillis = lastModifiedMillis;
            this.size = size;
            try {
                this.whole = file.map(FileChannel.MapMode.READ_ONLY, 0, size, arena).asByteBuffer();
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
            LIVE.incrementAndGet();
        }

        synchronized Lease lease() {
            holders++;
            return new Lease(this);
        }

        ByteBuffer segmentBuffer() {
            return whole.slice();
        }

        void release() {
            synchronized (this) {
                if (--holders > 0) {
                    return;
                }
            }
            arena.close();
            LIVE.decrementAndGet();
        }
    }
}
