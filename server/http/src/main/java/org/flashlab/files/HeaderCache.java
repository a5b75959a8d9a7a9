package org.flashlab.files;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

import org.flashlab.http.HttpDate;
import org.flashlab.http.HttpStatus;
import org.flashlab.http.ResponseHead;

/**
 * Flash's response header cache. A file's 200 header block is the same on every request except for
 * the Date line, so it is built once per (file, mtime, size, keep-alive) and reused; only the first
 * three lines, which change once a second, are made afresh, and they too are cached per second.
 * Bounded like {@link PathCache}: cleared when full. Safe for any thread.
 */
final class HeaderCache {
    private record Key(Path path, boolean keepAlive) {}

    private record Entry(long lastModifiedSeconds, long size, byte[] tail) {}

    private record Prefix(String date, byte[] bytes) {}

    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private volatile Prefix prefix = new Prefix("", new byte[0]);

    HeaderCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** The cached header block after the Date and Server lines, or null. */
    byte[] tail(Path path, boolean keepAlive, long lastModifiedSeconds, long size) {
        Entry e = entries.get(new Key(path, keepAlive));
        return e != null && e.lastModifiedSeconds() == lastModifiedSeconds && e.size() == size ? e.tail() : null;
    }

    void put(Path path, boolean keepAlive, long lastModifiedSeconds, long size, byte[] tail) {
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(new Key(path, keepAlive), new Entry(lastModifiedSeconds, size, tail));
    }

    /** {@link ResponseHead#prefix} for 200, then the cached tail: one allocation, two copies. */
    ByteBuffer okHead(byte[] tail) {
        String now = HttpDate.now();
        Prefix p = prefix;
        if (!p.date().equals(now)) {
            p = new Prefix(now, ResponseHead.prefix(HttpStatus.OK, now).getBytes(StandardCharsets.ISO_8859_1));
            prefix = p;
        }
        byte[] head = new byte[p.bytes().length + tail.length];
        System.arraycopy(p.bytes(), 0, head, 0, p.bytes().length);
        System.arraycopy(tail, 0, head, p.bytes().length, tail.length);
        return ByteBuffer.wrap(head);
    }
}
