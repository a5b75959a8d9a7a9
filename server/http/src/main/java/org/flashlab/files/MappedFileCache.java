package org.flashlab.files;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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

/**
 * Flash's mapped-file cache: whole files kept memory-mapped, least recently used evicted first,
 * bounded by the bytes mapped. A hit needs no open(), read() or close(): the body is a view of the
 * mapping, and for AMTED/AMPED {@link MappedBody#isLoaded()} (mincore(2)) says whether sending it
 * would touch the disk.
 *
 * <p>Mappings are unmapped when they are no longer used, not when the garbage collector gets round
 * to them. Each mapping counts its holders: the cache while the entry is cached, and every response
 * sent from it through a {@link Lease}. The last one to let go unmaps the file at once. So the number
 * of mappings stays within the cache's entries plus the responses in flight, whatever the heap size:
 * left to the collector, a server walking a large dataset piled up mappings until mmap failed at
 * {@code vm.max_map_count} (65,530 by default) and the JVM aborted.
 *
 * <p>How a mapping is made and unmapped: on Linux with mmap(2) and munmap(2) through FFM
 * ({@link PageCache#mapReadOnly}), as Flash did. A mapping in a shared {@link Arena} would be safe even
 * against a reader that forgot its lease, but closing a shared arena pauses every thread of the JVM
 * to check none is reading: on one core that cost 13 us more per eviction than munmap alone, and a
 * server churning through a large dataset lost 12% of its throughput to it. So the counting is
 * trusted instead, and every reader holds a lease: the writer through its response, a helper thread
 * through {@link MappedBody#retain}. Elsewhere (macOS) the shared arena is used.
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
    private boolean closed; // guarded by this

    MappedFileCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * A lease on the file's mapping, mapped now if it is not cached or has changed; null when the
     * file is larger than the whole cache, or empty (it is then sent from the file instead). The
     * caller must close the lease once the body has been sent or abandoned.
     */
    Lease get(Path path, long lastModifiedMillis, long size) throws IOException {
        synchronized (this) {
            if (closed) {
                return null; // the server is stopping: send from the file, map nothing new
            }
            Mapping m = entries.get(path);
            if (m != null && m.lastModifiedMillis == lastModifiedMillis && m.size == size) {
                return m.lease();
            }
        }
        long actual;
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            actual = file.size(); // the file may have changed since the caller's stat
        }
        if (actual == 0 || actual > maxBytes || actual > Integer.MAX_VALUE) {
            return null;
        }
        Mapping fresh = new Mapping(path, lastModifiedMillis, actual);
        Lease lease;
        List<Mapping> evicted = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                fresh.release();
                return null;
            }
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
        for (Mapping m : evicted) {
            m.release(); // outside the lock: an unmap is a system call
        }
        return lease;
    }

    /** Releases every entry; leases still open keep their mappings until they close. Idempotent. */
    void close() {
        List<Mapping> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(entries.values());
            entries.clear();
            bytes = 0;
        }
        for (Mapping m : all) {
            m.release();
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return entries.size();
    }

    /**
     * One hold on a cached mapping: {@link #body()} stays valid until {@link #close()}. Closing twice
     * is harmless; a body must not be read after its lease is closed.
     */
    static final class Lease implements MappedBody {
        private final Mapping mapping;
        private final ByteBuffer body;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Lease(Mapping mapping) {
            this.mapping = mapping;
            this.body = mapping.buffer(); // its own position and limit over the shared mapping
        }

        ByteBuffer body() {
            return body;
        }

        /**
         * mincore(2), or a recent answer of it. A mapping found all in memory is taken to stay there
         * for {@link #RESIDENT_HINT_NANOS}: a hot file is asked for thousands of times a second, and
         * each mincore costs the loop about a microsecond (a system call on a virtual machine), which
         * was a tenth of a cached 1 KB request. The kernel evicts by recency, over seconds: a page
         * that was in memory 10 ms ago and has been read since is as sure to be there as one checked
         * now. The answer was always a hint (a page can go right after mincore); the loop then
         * blocks once, as Flash's did.
         */
        @Override
        public boolean isLoaded() throws IOException {
            long now = System.nanoTime();
            if (now - mapping.residentUntil < 0) {
                return true;
            }
            boolean loaded = PageCache.mappingSupported() ? PageCache.allResident(mapping.segment) : mapping.segment.isLoaded();
            if (loaded) {
                mapping.residentUntil = now + RESIDENT_HINT_NANOS;
            }
            return loaded;
        }

        @Override
        public void load() {
            // One read per page faults it in; the sum keeps the JIT from dropping the reads.
            long sum = 0;
            long page = PageCache.pageSize();
            for (long at = 0; at < mapping.size; at += page) {
                sum += mapping.segment.get(ValueLayout.JAVA_BYTE, at);
            }
            Mapping.sink = sum;
        }

        @Override
        public MappedBody retain() {
            if (closed.get()) {
                throw new IllegalStateException("retain() on a closed lease");
            }
            return mapping.lease();
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                mapping.release();
            }
        }
    }

    /** How long a mapping found all in memory is taken to stay there (see {@link Lease#isLoaded}). */
    static final long RESIDENT_HINT_NANOS = 10_000_000L;

    /** One file's mapping and the count of its holders (the cache, and each lease). */
    private static final class Mapping {
        static volatile long sink; // where load()'s reads go

        final long lastModifiedMillis;
        final long size;
        final MemorySegment segment;
        private final Arena arena; // only where mmap is not called directly; null on Linux
        private final ByteBuffer whole;
        private int holders = 1; // the cache's own; guarded by this
        volatile long residentUntil = System.nanoTime(); // isLoaded's last "yes" holds until then

        Mapping(Path path, long lastModifiedMillis, long size) throws IOException {
            this.lastModifiedMillis = lastModifiedMillis;
            this.size = size;
            if (PageCache.mappingSupported()) {
                this.arena = null;
                this.segment = PageCache.mapReadOnly(path, size);
            } else {
                this.arena = Arena.ofShared(); // shared: the loop, helpers and pool threads all read it
                try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
                    this.segment = file.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
                } catch (IOException | RuntimeException e) {
                    arena.close();
                    throw e;
                }
            }
            this.whole = segment.asByteBuffer().asReadOnlyBuffer();
        }

        synchronized Lease lease() {
            if (holders == 0) {
                throw new IllegalStateException("a lease on an unmapped file");
            }
            holders++;
            return new Lease(this);
        }

        ByteBuffer buffer() {
            return whole.duplicate();
        }

        void release() {
            synchronized (this) {
                if (--holders > 0) {
                    return;
                }
            }
            if (arena != null) {
                arena.close();
            } else {
                PageCache.unmap(segment);
            }
        }
    }
}
