package org.flashlab.files;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Flash's pathname translation cache: request target to resolution. A hit skips percent-decoding,
 * normalisation and the realpath/stat system calls, which the paper found to be the optimization
 * that matters most for small files.
 *
 * Like Flash's, it is not invalidated when files change: a replaced file keeps its old
 * Last-Modified until the entry is dropped. Bounded in entries (Flash used 6,000); when full it is
 * simply cleared, which keeps the code short and costs one refill. Safe for any thread.
 */
final class PathCache {
    static final int DEFAULT_ENTRIES = 6_000;

    private final ConcurrentHashMap<String, DocumentRoot.Resolution> entries = new ConcurrentHashMap<>();
    private final int maxEntries;

    PathCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    DocumentRoot.Resolution get(String target) {
        return entries.get(target);
    }

    void put(String target, DocumentRoot.Resolution resolution) {
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(target, resolution);
    }

    int size() {
        return entries.size();
    }
}
