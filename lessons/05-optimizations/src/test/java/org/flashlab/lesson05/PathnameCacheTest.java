package org.flashlab.lesson05;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.flashlab.files.DocumentRoot;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Task 1, on its own: what the cache remembers, what it forgets, and what it counts. */
class PathnameCacheTest {
    private static DocumentRoot.Found file(String name) {
        return new DocumentRoot.Found(Path.of("/www", name), 1_000_000);
    }

    @Test
    @DisplayName("a target put is found again, and gets count hits and misses")
    void remembers() {
        PathnameCache cache = new PathnameCache(10);
        assertThat(cache.get("/a.html")).isNull();
        cache.put("/a.html", file("a.html"));
        assertThat(cache.get("/a.html")).isEqualTo(file("a.html"));
        assertThat(cache.get("/a.html")).isEqualTo(file("a.html"));
        assertThat(cache.hits()).as("hits").isEqualTo(2);
        assertThat(cache.misses()).as("misses").isEqualTo(1);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    @DisplayName("when full, the least recently used target goes first")
    void leastRecentlyUsedGoesFirst() {
        PathnameCache cache = new PathnameCache(2);
        cache.put("/a", file("a"));
        cache.put("/b", file("b"));
        assertThat(cache.get("/a")).as("/a, used just now").isNotNull();
        cache.put("/c", file("c")); // the cache is full: /b is the least recently used
        assertThat(cache.size()).as("entries, bounded").isEqualTo(2);
        assertThat(cache.get("/b")).as("/b, the least recently used").isNull();
        assertThat(cache.get("/a")).isNotNull();
        assertThat(cache.get("/c")).isNotNull();
    }

    @Test
    @DisplayName("a removed target is forgotten")
    void removes() {
        PathnameCache cache = new PathnameCache(4);
        cache.put("/gone.html", file("gone.html"));
        cache.remove("/gone.html");
        assertThat(cache.get("/gone.html")).isNull();
        assertThat(cache.size()).isZero();
    }
}
