package org.flashlab.files;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An emulated disk, for lessons that must behave the same on every laptop: a simulated page cache
 * of a fixed size, and a fixed delay for every block a read misses. Real disks and real page caches
 * differ from machine to machine (an SSD, 32 GB of RAM, a tmpfs /tmp); with this on, "the dataset is
 * three times the cache" means exactly that, and SPED's stall on a miss is exactly as long.
 *
 * The cache holds 64 KB blocks of files, least recently used out first, as a page cache roughly
 * does. {@link #resident} is the simulated mincore: it never blocks and never changes the cache.
 * {@link #read} is the simulated disk read: it sleeps for the blocks that miss, then caches them;
 * the models call it where they would touch the file's bytes (the response writer, and AMTED's
 * helper threads), so SPED blocks its loop, a thread blocks itself, and AMTED's loop does not.
 * AMPED's helpers are other processes: the loop charges them the delay in their request and caches
 * the blocks when they answer ({@link #missing}, {@link #cache}).
 *
 * Metadata too: resolving a path (the directory lookups and the stat behind toRealPath) costs one
 * miss when the path's metadata is not cached, and {@link #lookup} pays it where it is called
 * ({@link DocumentRoot} and the handler call it): on SPED's loop, in AMTED's helper threads, and, for
 * AMPED, in a helper process that the loop charges the delay ({@link #metadataMissing},
 * {@link #cacheMetadata}). The metadata cache holds one entry per KB of the page cache's size (a
 * dentry and an inode are about that), least recently used out first.
 *
 * A {@link DiskGate} can hold every miss, data or metadata, until a check releases it.
 *
 * One per process, shared by its threads (it locks). The multi-process models give each process its
 * own: an MP worker then has a cache of the whole size to itself, which flatters MP; compare MP on
 * the real page cache (the grader's memory budget) instead.
 */
public final class SimulatedDisk {
    public static final int BLOCK = 64 * 1024;

    /** One block of one file. */
    private record Block(Path file, long index) {}

    private final long capacityBlocks;
    private final long capacityMetadata;
    private final Duration missDelay;
    private final DiskGate gate; // null: misses are never held
    private final LinkedHashMap<Block, Boolean> cache = new LinkedHashMap<>(1024, 0.75f, true); // access order: LRU
    private final LinkedHashMap<Path, Boolean> metadata = new LinkedHashMap<>(1024, 0.75f, true);
    private long hits;
    private long misses;
    private long metadataMisses;
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.ConcurrentHashMap<String, Long> waitsByThread = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param cacheBytes the simulated page cache's size (rounded down to whole 64 KB blocks)
     * @param missDelay  what one missing block costs: a seek and a transfer
     */
    public SimulatedDisk(long cacheBytes, Duration missDelay) {
        this(cacheBytes, missDelay, null);
    }

    /** @param gate holds every miss while its file exists, or null for none (see {@link DiskGate}) */
    public SimulatedDisk(long cacheBytes, Duration missDelay, DiskGate gate) {
        if (cacheBytes < 0 || missDelay.isNegative()) {
            throw new IllegalArgumentException("the simulated cache size and miss delay must not be negative");
        }
        this.capacityBlocks = cacheBytes / BLOCK;
        this.capacityMetadata = cacheBytes / 1024;
        this.missDelay = missDelay;
        this.gate = gate;
    }

    /** The simulated page cache's size, in whole blocks: what another process needs to build the same disk. */
    public long capacityBytes() {
        return capacityBlocks * BLOCK;
    }

    public Duration missDelay() {
        return missDelay;
    }

    /** The gate that holds misses, or null. */
    public DiskGate gate() {
        return gate;
    }

    /** Whether every block of the region is cached. Never blocks, and never changes the cache. */
    public synchronized boolean resident(Path file, long position, long count) {
        return missing(file, position, count) == 0;
    }

    /** How many blocks of the region are not cached. */
    public synchronized long missing(Path file, long position, long count) {
        long missing = 0;
        for (long b = first(position); b <= last(position, count); b++) {
            if (!cache.containsKey(new Block(file, b))) { // containsKey: a look that is not a use
                missing++;
            }
        }
        return missing;
    }

    /** Reads the region as the disk would: sleeps for the blocks that miss, then caches them. Blocks. */
    public void read(Path file, long position, long count) {
        long missing = missing(file, position, count);
        if (missing > 0) {
            waitFor(missing, "data " + file);
        }
        cache(file, position, count);
    }

    /**
     * Looks a path's metadata up as the file system would (a directory lookup, a stat): one miss
     * when it is not cached, paid here, then cached. Blocks. {@link DocumentRoot} calls it before
     * each real lookup of a path.
     */
    public void lookup(Path path) {
        if (metadataMissing(path) > 0) {
            waitFor(1, "metadata " + path);
        }
        cacheMetadata(path);
    }

    /** 1 when the path's metadata is not cached, else 0. Never blocks, and never changes the cache. */
    public synchronized long metadataMissing(Path path) {
        return metadata.containsKey(path) ? 0 : 1;
    }

    /** Puts a path's metadata in the cache (most recently used), evicting the least recently used. */
    public synchronized void cacheMetadata(Path path) {
        if (metadata.put(path, Boolean.TRUE) == null) {
            metadataMisses++;
        }
        Iterator<Map.Entry<Path, Boolean>> eldest = metadata.entrySet().iterator();
        while (metadata.size() > capacityMetadata && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }

    /** Metadata entries that had to come from the disk. */
    public synchronized long metadataMisses() {
        return metadataMisses;
    }

    /**
     * Waits as the disk would for {@code misses} missed reads: at the gate first (when it is closed),
     * then the delay. The caller's thread is the one that waits, which is the point.
     */
    public void waitFor(long misses, String what) {
        waitsByThread.merge(Thread.currentThread().getName(), 1L, Long::sum);
        waiting.incrementAndGet();
        try {
            if (gate != null) {
                gate.pass(what);
            }
            if (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(missDelay.multipliedBy(misses));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // a stopping server: keep the flag for its loop to see
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** Puts the region's blocks in the cache (most recently used), evicting the least recently used. */
    public synchronized void cache(Path file, long position, long count) {
        for (long b = first(position); b <= last(position, count); b++) {
            if (cache.put(new Block(file, b), Boolean.TRUE) == null) {
                misses++;
            } else {
                hits++;
            }
        }
        Iterator<Map.Entry<Block, Boolean>> eldest = cache.entrySet().iterator();
        while (cache.size() > capacityBlocks && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }

    /**
     * Blocks found in the cache when read, and blocks that had to come from the disk. In AMTED and
     * AMPED a missed block is counted twice, once as the helper's miss and once as a hit when the
     * loop sends it, so compare misses across models, not hits.
     */
    public synchronized long[] hitsAndMisses() {
        return new long[] {hits, misses};
    }

    /** How many times each thread (by name) has waited for the emulated disk: a test sees who paid. */
    public Map<String, Long> waitsByThread() {
        return Map.copyOf(waitsByThread);
    }

    /** Reads sleeping on the emulated disk right now: lets a test see who is blocked. */
    public int waiting() {
        return waiting.get();
    }

    public synchronized long cachedBytes() {
        return (long) cache.size() * BLOCK;
    }

    private static long first(long position) {
        return position / BLOCK;
    }

    /** The last block of the region; below the first when the region is empty, so loops run zero times. */
    private static long last(long position, long count) {
        return count <= 0 ? first(position) - 1 : (position + count - 1) / BLOCK;
    }
}
