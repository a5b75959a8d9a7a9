package org.flashlab.files;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flash's mapped-file cache: whole files kept memory-mapped, least recently used evicted first,
 * bounded by the bytes mapped. A hit needs no open(), read() or close(): the body is a slice of the
 * mapping, and for AMTED/AMPED {@link MappedByteBuffer#isLoaded()} (mincore(2)) says whether
 * sending it would touch the disk.
 *
 * An entry is valid for one (path, mtime, size), which the caller reads with a fresh stat; a
 * changed file is mapped again. A file truncated in place while a response is being sent from its
 * old mapping can still fault (SIGBUS) in that send: the hazard every mmap-based server, Flash
 * included, accepts. Evicted mappings are unmapped by the garbage collector (the JDK offers no safe
 * explicit unmap: JDK-4724038).
 * Guarded by its own lock; hits are short.
 */
final class MappedFileCache {
    private record Entry(long lastModifiedMillis, long size, MappedByteBuffer mapping) {}

    private final long maxBytes;
    private final LinkedHashMap<Path, Entry> entries = new LinkedHashMap<>(64, 0.75f, true); // guarded by this
    private long bytes; // guarded by this

    MappedFileCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * The file's mapping, mapped now if it is not cached or has changed; null when the file is larger
     * than the whole cache (it is then sent from the file instead).
     */
    MappedByteBuffer get(Path path, long lastModifiedMillis, long size) throws IOException {
        synchronized (this) {
            Entry e = entries.get(path);
            if (e != null && e.lastModifiedMillis() == lastModifiedMillis && e.size() == size) {
                return e.mapping();
            }
        }
        MappedByteBuffer mapping;
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            long actual = file.size(); // the file may have changed since the caller's stat
            if (actual > maxBytes || actual > Integer.MAX_VALUE) {
                return null;
            }
            mapping = file.map(FileChannel.MapMode.READ_ONLY, 0, actual);
        }
        synchronized (this) {
            Entry old = entries.put(path, new Entry(lastModifiedMillis, mapping.capacity(), mapping));
            bytes += mapping.capacity() - (old == null ? 0 : old.mapping().capacity());
            Iterator<Map.Entry<Path, Entry>> eldest = entries.entrySet().iterator();
            while (bytes > maxBytes && eldest.hasNext()) {
                Map.Entry<Path, Entry> victim = eldest.next();
                if (victim.getKey().equals(path)) {
                    continue;
                }
                bytes -= victim.getValue().mapping().capacity();
                eldest.remove();
            }
        }
        return mapping;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return entries.size();
    }
}
