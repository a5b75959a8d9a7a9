package org.flashlab.lesson05;

import java.util.LinkedHashMap;
import java.util.Map;

import org.flashlab.files.DocumentRoot;

/**
 * Task 1: Flash's pathname-translation cache. A request target ("/docs/a%20b.html") becomes a file
 * only after percent-decoding, normalising, and a lookup and a stat per directory on the way
 * ({@code DocumentRoot.resolve}). The answer rarely changes, so remember it: a hit skips all of it.
 * The paper found this the optimization that matters most for small files.
 *
 * Bounded in entries, least recently used out first. Only files are cached: a refusal (404, 403)
 * is not, so that a file created later is found. Loop thread only: no locks.
 */
public final class PathnameCache {
    private final int maxEntries;
    private long hits;
    private long misses;

    public PathnameCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a cache holds at least one entry: " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    /** The file {@code target} was translated to, or null; counts a hit or a miss. */
    public DocumentRoot.Found get(String target) {
        // TODO Task 1: look the target up, count a hit or a miss (README, "Task 1").
        misses++;
        return null;
    }

    /** Remembers a translation; the least recently used entry goes when the cache is full. */
    public void put(String target, DocumentRoot.Found found) {
        // TODO Task 1: remember it, within maxEntries (README, "Task 1").
    }

    /** Forgets a target: its file has gone. */
    public void remove(String target) {
        // TODO Task 1 (README, "Task 1").
    }

    public int size() {
        return 0; // TODO Task 1
    }

    public int maxEntries() {
        return maxEntries;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }
}
