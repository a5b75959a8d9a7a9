package org.flashlab.grader.workload;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import org.flashlab.grader.load.Expected;
import org.flashlab.grader.load.RequestMix;

/**
 * A set of files for a server to serve, generated into a directory and fully determined by its
 * seed: the same seed gives the same names, sizes and bytes on every machine, so two runs (or two
 * students) are measured against the same data.
 *
 * File sizes follow SURGE's model of web files (Barford and Crovella, SIGMETRICS 1998): a lognormal
 * body (mu 9.357, sigma 1.318: a median near 11.6 KB) with a Pareto tail (alpha 1.1, k 133 KB) for
 * 7 % of files, so a few large files hold much of the bytes, as in the paper's traces.
 */
public record Dataset(Path root, List<Entry> files) {

    /** Deletes a directory and everything under it: a generated dataset, or any scratch folder of the grader's. */
    public static void delete(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }


    /** One file: its site path ("/d3/f00042.bin") and size. */
    public record Entry(String path, long size) {}

    static final double BODY_MU = 9.357;
    static final double BODY_SIGMA = 1.318;
    static final double TAIL_ALPHA = 1.1;
    static final double TAIL_K = 133_000;
    static final double TAIL_FRACTION = 0.07;
    static final long MAX_FILE = 64L * 1024 * 1024; // the Pareto tail is unbounded; a lab's disk is not

    /** The total bytes of all files. */
    public long totalBytes() {
        return files.stream().mapToLong(Entry::size).sum();
    }

    /** One file of exactly {@code size} bytes, for the single-file test (the paper's Figures 6 and 7). */
    public static Dataset singleFile(Path root, long size, long seed) throws IOException {
        return write(root, List.of(new Entry("/file-" + size + ".bin", size)), seed);
    }

    /** SURGE-like sizes, as many files as it takes to reach {@code totalBytes}. */
    public static Dataset surge(Path root, long totalBytes, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        List<Entry> entries = new ArrayList<>();
        long total = 0;
        for (int i = 0; total < totalBytes; i++) {
            long size = Math.max(1, Math.min(MAX_FILE, surgeSize(random)));
            size = Math.min(size, totalBytes - total);
            entries.add(new Entry(String.format("/d%d/f%05d.bin", i % 16, i), size));
            total += size;
        }
        return write(root, entries, seed);
    }

    /** One size drawn from SURGE's body-and-tail model. */
    static long surgeSize(SplittableRandom random) {
        if (random.nextDouble() < TAIL_FRACTION) {
            return (long) (TAIL_K / Math.pow(1 - random.nextDouble(), 1 / TAIL_ALPHA)); // inverse Pareto CDF
        }
        return (long) Math.exp(BODY_MU + BODY_SIGMA * gaussian(random));
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian of its own.
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** The dataset's files on disk, in the order of {@link #files}. */
    public List<Path> paths() {
        return files.stream().map(e -> root.resolve(e.path().substring(1))).toList();
    }

    /** The files as a load generator's request mix, asked for in the trace's order. */
    public RequestMix mix(Trace trace) throws IOException {
        List<Expected> expected = new ArrayList<>();
        for (Path p : paths()) {
            expected.add(Expected.ofFile(p));
        }
        return new RequestMix(files.stream().map(Entry::path).toList(), expected, trace.requests());
    }

    /**
     * The files a replayed log asks for, each as large as the log says it was (the largest size
     * logged), with seeded contents; the trace is the log's order.
     */
    public static Dataset fromLog(Path root, CommonLogFormat.Log log, long seed) throws IOException {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (CommonLogFormat.Request r : log.requests()) {
            sizes.merge(normalise(r.path()), r.bytes(), Math::max);
        }
        List<Entry> entries = sizes.entrySet().stream().map(e -> new Entry(e.getKey(), e.getValue())).toList();
        return write(root, entries, seed);
    }

    /** The log's order as indices into {@link #fromLog}'s files. */
    public Trace traceOf(CommonLogFormat.Log log) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            index.put(files.get(i).path(), i);
        }
        return new Trace(log.requests().stream().mapToInt(r -> {
            Integer i = index.get(normalise(r.path()));
            if (i == null) {
                throw new IllegalArgumentException("the log asks for " + r.path() + ", which is not in this dataset");
            }
            return i;
        }).toArray());
    }

    /**
     * A logged path as a file in the dataset: the query is dropped (a static server ignores it) and
     * a directory gets its index file. Paths that could leave the root are refused, not guessed at.
     */
    static String normalise(String logged) {
        String p = logged.indexOf('?') >= 0 ? logged.substring(0, logged.indexOf('?')) : logged;
        if (!p.startsWith("/") || p.contains("/../") || p.endsWith("/..") || p.contains("\\") || p.contains("%")) {
            throw new IllegalArgumentException("cannot replay the logged path " + logged);
        }
        return p.endsWith("/") ? p + "index.html" : p;
    }

    /** Writes the files with seeded contents, each file's bytes determined by the seed and its index. */
    static Dataset write(Path root, List<Entry> entries, long seed) throws IOException {
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            Path file = root.resolve(e.path().substring(1));
            Files.createDirectories(file.getParent());
            Random random = new Random(seed * 1_000_003L + i);
            try (OutputStream out = Files.newOutputStream(file)) {
                for (long left = e.size(); left > 0; left -= block.length) {
                    random.nextBytes(block);
                    out.write(block, 0, (int) Math.min(block.length, left));
                }
            }
        }
        return new Dataset(root, List.copyOf(entries));
    }
}
