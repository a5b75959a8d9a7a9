package org.flashlab.lesson05;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.flashlab.http.HttpDate;
import org.flashlab.http.HttpStatus;
import org.flashlab.http.ResponseHead;

/**
 * Task 2: Flash's response-header cache. A file's "200 OK" header block is the same on every
 * request but for its Date line: build it once per (file, modification time, size, keep-alive), and
 * on each request put a fresh status line and Date in front of the cached rest.
 *
 * <pre>
 *   HTTP/1.1 200 OK                 \
 *   Date: Mon, 30 Nov 2026 ...       } ResponseHead.prefix(OK, HttpDate.now()): made per request
 *   Server: Flashlab/0.1            /
 *   Content-Type: text/html         \
 *   Content-Length: 1024             } the tail (ResponseHead.afterPrefix): cached
 *   Last-Modified: ...               }
 *   ...                             /
 * </pre>
 *
 * The key holds the modification time and size, so a changed file gets a new entry: the cache
 * notices a change without being told. Bounded in entries, least recently used out first. Loop
 * thread only.
 */
public final class HeaderCache {
    /** What a cached tail is valid for. */
    record Key(Path path, long lastModifiedSeconds, long size, boolean keepAlive) {}

    private final int maxEntries;
    private long hits;
    private long misses;
    // BEGIN SOLUTION
    private final LinkedHashMap<Key, byte[]> tails;
    // END SOLUTION

    public HeaderCache(int maxEntries) {
        this.maxEntries = maxEntries;
        // BEGIN SOLUTION
        this.tails = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, byte[]> eldest) {
                return size() > HeaderCache.this.maxEntries;
            }
        };
        // END SOLUTION
    }

    /**
     * The header block of a 200 for this file: from the cache, or built by {@code build} (the whole
     * block, Date line and all) and cached. Counts a hit or a miss.
     */
    public ByteBuffer okHead(Path path, long lastModifiedSeconds, long size, boolean keepAlive, Supplier<ByteBuffer> build) {
        // BEGIN SOLUTION
        Key key = new Key(path, lastModifiedSeconds, size, keepAlive);
        byte[] tail = tails.get(key);
        if (tail == null) {
            misses++;
            ByteBuffer full = build.get();
            tails.put(key, ResponseHead.afterPrefix(full.duplicate()));
            return full; // built just now: its Date is fresh
        }
        hits++;
        byte[] prefix = ResponseHead.prefix(HttpStatus.OK, HttpDate.now()).getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(prefix.length + tail.length).put(prefix).put(tail).flip();
        // STARTER
        // // TODO Task 2: look up the tail; on a miss build the block, keep its tail (ResponseHead.afterPrefix);
        // // on a hit, a fresh ResponseHead.prefix then the tail. Count hits and misses (README, "Task 2").
        // misses++;
        // return build.get();
        // END SOLUTION
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }
}
