package org.flashlab.grader.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.flashlab.files.PageCache;
import org.flashlab.grader.proc.ProcTree;

/**
 * A memory budget for a disk-bound run: the dataset's pages in the page cache are held at or below
 * the budget minus the server's own memory. That is how the paper's MP server, whose many processes
 * use more memory, ends up with a smaller file cache and more disk reads than SPED or AMPED on the
 * same machine (the disk-bound results): here the budget makes the same trade on a laptop with far more RAM.
 *
 * It sweeps again and again, 10 ms apart in the runner (a sweep of 10,000 to 20,000 files takes 50
 * to 100 ms, one mincore each, so the interval grows with the dataset): it measures the server's footprint (anonymous memory of its
 * whole process tree, {@link ProcTree#footprintKb}) and the dataset's resident bytes (mincore, which
 * never reads a file), records that as a sample, and then evicts files (posix_fadvise DONTNEED) in a
 * seeded random order until the resident bytes are below the allowance by a headroom: the largest
 * file (one request can bring it in whole) plus three times the most the cache (and the server's
 * own memory) grew by in one interval lately, so the next sample should still be under. The cache
 * therefore runs somewhat below its allowance: the price of staying under it with sweeps. Samples are taken before evicting, at the worst moment, so the
 * report's peak is an honest upper bound for the sweep instants (between sweeps nobody looks).
 *
 * Pages the server has mapped cannot be evicted (the kernel keeps mapped pages), so a server with a
 * mapped-file cache may stay above the allowance; the report then says so rather than hiding it.
 */
public final class MemoryBudget implements AutoCloseable {

    /**
     * One sweep.
     *
     * @param millis    since the budget started
     * @param footprint the server tree's own memory, bytes
     * @param allowed   what the dataset may hold: the budget minus the footprint
     * @param resident  the dataset's bytes in memory when the sweep began
     * @param evicted   bytes this sweep pushed out
     * @param took      how long the sweep took, ms
     */
    public record Sample(long millis, long footprint, long allowed, long resident, long evicted, long took) {
        public boolean within() {
            return resident <= allowed;
        }
    }

    /** What the budget saw over a run. */
    public record Report(long budget, long datasetBytes, List<Sample> samples) {
        public long peakResident() {
            return samples.stream().mapToLong(Sample::resident).max().orElse(0);
        }

        /** The largest share of its allowance the dataset held at a sweep (1.0 = exactly at budget). */
        public double peakShareOfAllowed() {
            return samples.stream().mapToDouble(s -> s.allowed() == 0 ? (s.resident() == 0 ? 0 : Double.POSITIVE_INFINITY)
                    : (double) s.resident() / s.allowed()).max().orElse(0);
        }

        public boolean stayedWithin() {
            return samples.stream().allMatch(Sample::within);
        }

        public String summary() {
            long over = samples.stream().filter(s -> !s.within()).count();
            Sample last = samples.isEmpty() ? new Sample(0, 0, budget, 0, 0, 0) : samples.getLast();
            String warning = last.footprint() >= budget
                    ? " (WARNING: the server alone uses more than the budget, so nothing of the dataset may stay cached)" : "";
            double share = peakShareOfAllowed();
            return String.format(Locale.ROOT,
                    "memory budget %.1f MB: dataset %.1f MB, server footprint %.1f MB, allowance %.1f MB; "
                            + "resident at %d sweeps (%.0f ms each on average): peak %.1f MB (%s of the allowance), over it at %d%s",
                    mb(budget), mb(datasetBytes), mb(last.footprint()), mb(last.allowed()), samples.size(),
                    samples.stream().mapToLong(Sample::took).average().orElse(0), mb(peakResident()),
                    Double.isInfinite(share) ? "all" : String.format(Locale.ROOT, "%.0f%%", 100 * share), over, warning);
        }

        private static double mb(long bytes) {
            return bytes / (1024.0 * 1024);
        }
    }

    private final List<Path> files;
    // Mappings of every file, kept for the budget's life: mapping faults nothing in, and a sweep is
    // then one mincore per file instead of open, mmap, mincore, munmap and close (10x faster).
    private final Arena arena = Arena.ofShared();
    private final MemorySegment[] maps;
    private final MemorySegment vector;
    private final long budget;
    private final ProcessHandle server; // null: nothing runs beside the dataset, the budget is all cache
    private final SplittableRandom random;
    private final long datasetBytes;
    private final long largestFile;
    private final long startNanos = System.nanoTime();
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private ScheduledExecutorService timer;
    private volatile Throwable failure;
    private long headroom;     // bytes read back between two sweeps lately (decays, so one burst does not stick)
    private long lastResident; // after the previous sweep's evictions
    private long lastFootprint;

    /**
     * @param files  the dataset
     * @param budget bytes for the server's memory plus the dataset's cached pages
     * @param server whose footprint counts against the budget, or null
     * @param seed   for the eviction order, so two runs evict alike
     */
    public MemoryBudget(List<Path> files, long budget, ProcessHandle server, long seed) throws IOException {
        if (!PageCache.evictionSupported()) {
            throw new UnsupportedOperationException("a memory budget needs page-cache eviction, which needs Linux");
        }
        if (budget < 0) {
            throw new IllegalArgumentException("budget must not be negative");
        }
        this.files = List.copyOf(files);
        this.budget = budget;
        this.server = server;
        this.random = new SplittableRandom(seed);
        long total = 0;
        long largest = 0;
        for (Path f : this.files) {
            long size = Files.size(f);
            total += size;
            largest = Math.max(largest, size);
        }
        this.datasetBytes = total;
        this.largestFile = largest;
        if (!this.files.isEmpty()) {
            // Dirty pages cannot be dropped: write the dataset out once, so evictions need no sync.
            PageCache.syncFileSystem(this.files.getFirst());
        }
        // Each mapping is one entry of the process's map table (vm.max_map_count, 65530 by
        // default): a dataset of more files than half of that is measured by mapping per sweep.
        this.maps = new MemorySegment[this.files.size() <= 30_000 ? this.files.size() : 0];
        try {
            for (int i = 0; i < maps.length; i++) {
                try (FileChannel channel = FileChannel.open(this.files.get(i), StandardOpenOption.READ)) {
                    maps[i] = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
                }
            }
            // One vector for every mincore of a sweep: a byte per page of the largest file.
            this.vector = arena.allocate(Math.max(1, (largest + PageCache.pageSize() - 1) / PageCache.pageSize()));
        } catch (IOException | RuntimeException e) {
            arena.close(); // the mappings made so far
            throw e;
        }
    }

    private long resident(int i) throws IOException {
        return maps.length > 0 ? PageCache.residentBytes(maps[i], vector) : PageCache.residentBytes(files.get(i));
    }

    /** Evicts the whole dataset: a cold start, as after a reboot. */
    public void evictAll() throws IOException {
        for (int i = 0; i < files.size(); i++) {
            evict(i);
        }
        lastResident = 0;
    }

    /**
     * Brings the dataset under its allowance now, then sweeps every {@code everyMillis} on a thread
     * of its own until {@link #close}. The first sweep is not a sample: the run has not begun, and
     * what was cached before it (a dataset just generated, say) says nothing about the run.
     */
    public MemoryBudget start(long everyMillis) throws IOException {
        sweep();
        samples.clear();
        headroom = 0; // what the first sweep found cached was there before the run, not growth in it
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("memory-budget").unstarted(r));
        timer.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (IOException | RuntimeException e) {
                failure = e;
                throw new UncheckedIOException(new IOException("memory budget stopped", e)); // ends the schedule
            }
        }, 0, everyMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One sweep: measure, record, evict down to the target. */
    public Sample sweep() throws IOException {
        long began = System.nanoTime();
        long footprint = server == null ? 0 : Math.max(0, ProcTree.footprintKb(server) * 1024);
        long allowed = Math.max(0, budget - footprint);
        long[] resident = new long[files.size()];
        long total = 0;
        for (int i = 0; i < resident.length; i++) {
            resident[i] = resident(i);
            total += resident[i];
        }
        // Headroom for the next interval: what the cache grew by, plus what the server's own memory
        // grew by (a heap that grows shrinks the allowance under the cache's feet).
        long growth = Math.max(0, total - lastResident) + Math.max(0, footprint - lastFootprint);
        lastFootprint = footprint;
        headroom = Math.max(growth, headroom * 3 / 4);
        // One request can bring a whole file in at once (a heavy-tailed dataset has big ones), on
        // top of the steady stream of smaller reads.
        long target = Math.max(0, allowed - largestFile - 3 * headroom);
        long now = total;
        long evicted = 0;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < resident.length; i++) {
            if (resident[i] > 0) {
                order.add(i);
            }
        }
        for (int i = order.size() - 1; i > 0; i--) { // seeded Fisher-Yates: random replacement
            Collections.swap(order, i, random.nextInt(i + 1));
        }
        for (int i : order) {
            if (now <= target) {
                break;
            }
            evict(i);
            long left = resident(i); // pages a server has mapped stay: count what really went
            evicted += resident[i] - left;
            now -= resident[i] - left;
        }
        lastResident = now;
        long end = System.nanoTime();
        Sample sample = new Sample((began - startNanos) / 1_000_000, footprint, allowed, total, evicted,
                (end - began) / 1_000_000);
        samples.add(sample);
        return sample;
    }

    private void evict(int i) throws IOException {
        PageCache.evict(files.get(i), false);
    }

    /** What it saw so far. */
    public Report report() {
        synchronized (samples) {
            return new Report(budget, datasetBytes, List.copyOf(samples));
        }
    }

    /** Stops sweeping; a sweep that failed is reported here, not lost. */
    @Override
    public void close() throws IOException {
        if (timer != null) {
            timer.shutdown(); // no interrupt: a sweep in progress finishes (an interrupt would close its files)
            boolean stopped;
            try {
                stopped = timer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = false;
            }
            if (!stopped) {
                // A sweep may still be inside mincore on these mappings: leave them to the process.
                throw new IOException("the memory budget's sweep did not stop in time; its mappings stay until exit");
            }
        }
        if (arena.scope().isAlive()) {
            arena.close();
        }
        Throwable failed = failure;
        failure = null; // reported once
        if (failed != null) {
            throw new IOException("a memory-budget sweep failed: " + failed, failed);
        }
    }
}
