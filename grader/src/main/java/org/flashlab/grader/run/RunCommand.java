package org.flashlab.grader.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.flashlab.grader.load.Expected;
import org.flashlab.grader.disk.KernelLimits;
import org.flashlab.grader.load.LoadSpec;
import org.flashlab.grader.load.RequestMix;
import org.flashlab.grader.workload.CommonLogFormat;
import org.flashlab.grader.workload.Dataset;
import org.flashlab.grader.workload.Preset;
import org.flashlab.grader.workload.Trace;

import org.flashlab.cli.Cli;
import org.flashlab.cli.ExitCode;
import org.flashlab.grader.ReferenceServer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flashlab run}: one workload against one server, repeated, with statistics. The server is
 * the reference server in any model, or any command line after {@code --}.
 */
@Command(name = "flashlab run", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class, sortOptions = false,
        description = {
                "Starts a server as a child process, loads it with a workload, repeats, and reports mean, median and "
                        + "a 95%% confidence interval, with the server's CPU, memory, threads and context switches.",
                "Examples:",
                "  ./flashlab run --model amped --workload cs --memory-budget 64 --repeat 3",
                "  ./flashlab run --sweep 0,1k,10k,50k,100k,200k -- java -cp my.jar Server --port {port} --root {docroot}"},
        footer = "Exit status: 0 when every run succeeded without errors, 1 when some failed or had errors, 2 on bad usage.")
public final class RunCommand implements Callable<Integer> {

    /** What the load asks for. */
    enum WorkloadKind { single, owlnet, cs, log }

    @Parameters(paramLabel = "COMMAND", arity = "0..*",
            description = "The server to run, after --; {docroot} and {port} are filled in (port 0). "
                    + "It must print 'Listening on http://HOST:PORT/'. Default: the reference server, and when "
                    + "what follows -- starts with a dash, those are options for it (-- --no-mapped-cache).")
    List<String> command = new ArrayList<>();

    @Option(names = "--model", paramLabel = "M", defaultValue = "sped",
            description = "The reference server's model when no COMMAND is given (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--workload", paramLabel = "W", defaultValue = "single",
            description = "single (one file), owlnet (fits in memory), cs (disk-bound) or log (replay a Common Log "
                    + "Format file) (default: ${DEFAULT-VALUE}).")
    WorkloadKind workload;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "1k", description = "The single file's size (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--sweep", paramLabel = "B,B", split = ",",
            description = "Single-file sizes to measure one after another, as the paper's Figures 6 and 7 do.")
    List<String> sweep;

    @Option(names = "--log", paramLabel = "FILE", description = "The log to replay (default: a small bundled sample).")
    Path log;

    @Option(names = "--trace-length", paramLabel = "N", defaultValue = "100000",
            description = "Requests in an owlnet or cs trace before it wraps around (default: ${DEFAULT-VALUE}).")
    int traceLength;

    @Option(names = "--seed", defaultValue = "1999", description = "Seed for datasets and traces (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--memory-budget", paramLabel = "MB", defaultValue = "64",
            description = "Memory for the server plus the cached dataset; owlnet and cs datasets are sized from it "
                    + "(default: ${DEFAULT-VALUE}).")
    long memoryBudgetMb;

    @Option(names = "--dataset-mb", paramLabel = "MB",
            description = "The owlnet or cs dataset's size, instead of a multiple of the budget (owlnet a quarter, "
                    + "cs three times): to sweep the dataset across the memory limit.")
    Long datasetMb;

    @Option(names = "--evict", negatable = true, defaultValue = "false",
            description = "Hold the dataset's cached pages under the memory budget during each run (Linux).")
    boolean evict;

    @Option(names = "--cold", description = "Evict the whole dataset from the page cache before each run (Linux).")
    boolean cold;

    @Option(names = "--kernel-limits",
            description = "Run the server in a cgroup whose memory limit, --memory-budget, counts its page cache "
                    + "(Linux, root). Elsewhere the reference server falls back to the emulated disk, and says so.")
    boolean kernelLimits;

    @Option(names = "--disk-mbps", paramLabel = "MB", defaultValue = "0",
            description = "With --kernel-limits: throttle reads of the dataset's disk to this many MB/s (0: no limit).")
    double diskMbps;

    @Option(names = "--disk-iops", paramLabel = "N", defaultValue = "0",
            description = "With --kernel-limits: throttle the dataset's disk to this many reads a second (0: no limit).")
    long diskIops;

    @Option(names = {"-c", "--connections"}, defaultValue = "50", description = "Connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-t", "--threads"}, defaultValue = "1", description = "Generator threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = {"-d", "--duration"}, paramLabel = "S", defaultValue = "5", description = "Seconds measured per run (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = {"-w", "--warmup"}, paramLabel = "S", defaultValue = "2", description = "Seconds of warm-up per run (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = {"-n", "--repeat"}, defaultValue = "3", description = "Runs per measurement (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = {"-R", "--rate"}, paramLabel = "RPS", defaultValue = "0", description = "Open loop at this rate; 0 = closed loop.")
    double rate;

    @Option(names = "--new-connections", description = "A new connection per request (HTTP/1.0 style, as in the paper).")
    boolean newConnections;

    @Option(names = "--server-cpus", paramLabel = "LIST", description = "taskset CPUs for the server (default: 0 on a machine with 2+ cores).")
    String serverCpus;

    @Option(names = "--client-cpus", paramLabel = "LIST", description = "taskset CPUs for the generator (default: the others).")
    String clientCpus;

    @Option(names = "--no-pin", description = "Do not pin with taskset.")
    boolean noPin;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to generate the dataset (default: a temporary directory, deleted after).")
    Path dir;

    @Option(names = "--json", paramLabel = "FILE", description = "Write every run's numbers as JSON.")
    Path json;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        if (repeat < 1 || connections < 1 || threads < 1 || duration <= 0 || warmup < 0 || memoryBudgetMb < 0) {
            throw Cli.usage("--repeat, -c and -t must be at least 1, durations positive, the budget not negative");
        }
        if ((evict || cold) && !org.flashlab.files.PageCache.evictionSupported()) {
            throw Cli.usage("--evict and --cold need Linux (posix_fadvise)");
        }
        if ((diskMbps > 0 || diskIops > 0) && !kernelLimits) {
            throw Cli.usage("--disk-mbps and --disk-iops throttle the disk through cgroups: add --kernel-limits");
        }
        if (diskMbps < 0 || diskIops < 0) {
            throw Cli.usage("--disk-mbps and --disk-iops must not be negative");
        }
        if (datasetMb != null && (datasetMb <= 0 || (workload != WorkloadKind.owlnet && workload != WorkloadKind.cs))) {
            throw Cli.usage("--dataset-mb sizes the owlnet and cs datasets, and must be positive");
        }
        if (kernelLimits && evict) {
            throw Cli.usage("--kernel-limits and --evict are two ways to hold the dataset to the budget: choose one");
        }
        boolean external = !command.isEmpty() && !command.getFirst().startsWith("-");
        KernelLimits.Probe probe = kernelLimits ? KernelLimits.probe() : null;
        boolean emulate = false;
        if (probe != null && !probe.usable()) {
            if (external) {
                throw Cli.usage("--kernel-limits: " + probe.unusable() + "; only the reference server can fall back to "
                        + "the emulated disk");
            }
            emulate = true;
            out.printf(Locale.ROOT, "flashlab run: no kernel limits here (%s): using the emulated disk instead "
                    + "(-- --sim-disk-cache-mb %d --sim-disk-miss-ms %s)%n", probe.unusable(), memoryBudgetMb,
                    EMULATED_MISS_MS);
        }
        Runner.ServerCommand server;
        if (command.isEmpty() || command.getFirst().startsWith("-")) {
            List<String> argv = ReferenceServer.command(model, List.of("--port", "{port}", "--docroot", "{docroot}"));
            argv.addAll(command);
            if (emulate) {
                argv.addAll(List.of("--sim-disk-cache-mb", Long.toString(memoryBudgetMb), "--sim-disk-miss-ms",
                        EMULATED_MISS_MS));
            } else if (kernelLimits) {
                // The JVM would size its heap from the limit (a quarter of it); say what it gets instead.
                argv.add(1, "-Xmx" + heapMb() + "m");
            }
            server = new Runner.ServerCommand(command.isEmpty() ? model : model + " " + String.join(" ", command), argv);
            if (evict && !command.contains("--no-mapped-cache") && !command.contains("--no-optimizations")) {
                out.println("note: the reference server's mapped-file cache keeps up to --mapped-cache-mb of the dataset "
                        + "mapped, and mapped pages cannot be evicted; add -- --no-mapped-cache to hold it to the budget");
            }
        } else {
            server = new Runner.ServerCommand(Path.of(command.getFirst()).getFileName().toString(), command);
        }
        Pinning pinning = noPin ? Pinning.NONE : Pinning.byDefault();
        if (!noPin && (serverCpus != null || clientCpus != null)) {
            pinning = new Pinning(serverCpus != null ? serverCpus : pinning.serverCpus(),
                    clientCpus != null ? clientCpus : pinning.clientCpus());
        }
        pinning.pinThisProcess();

        boolean temporary = dir == null;
        Path root = temporary ? Files.createTempDirectory("flashlab-run-") : Files.createDirectories(dir);
        long budgetBytes = memoryBudgetMb * 1024 * 1024;
        KernelLimits limits = null;
        try {
            if (kernelLimits && !emulate) {
                KernelLimits.Throttle throttle = null;
                if (diskMbps > 0 || diskIops > 0) {
                    try {
                        throttle = new KernelLimits.Throttle(KernelLimits.deviceOf(root), (long) (diskMbps * 1048576),
                                diskIops);
                    } catch (IOException e) {
                        throw Cli.usage("--disk-mbps/--disk-iops: " + e.getMessage());
                    }
                }
                try {
                    limits = KernelLimits.create(budgetBytes, throttle);
                } catch (IOException e) {
                    throw Cli.failure("--kernel-limits: " + e.getMessage(), e);
                }
                out.println("flashlab run: " + limits.describe(throttle));
                if (!external) {
                    out.printf(Locale.ROOT, "flashlab run: the server's heap is capped at -Xmx%dm, an eighth of the limit, "
                            + "so that most of it is left to the page cache%n", heapMb());
                }
            }
            Map<String, Point> points;
            try {
                points = points(root, budgetBytes);
            } catch (IllegalArgumentException e) {
                throw Cli.usage(e.getMessage());
            }
            LoadSpec load = new LoadSpec(URI.create("http://127.0.0.1/"), connections, threads, seconds(duration),
                    seconds(warmup), rate, !newConnections, 1, Duration.ofSeconds(2), Duration.ofMillis(100), null);
            out.printf(Locale.ROOT, "flashlab run: %s, %s%s, %s s after %s s warm-up, %s each, %s%n",
                    server.label(), Cli.count(connections, "connection"),
                    newConnections ? " (one per request)" : " (keep-alive)",
                    trim(duration), trim(warmup), Cli.count(repeat, "run"), pinning.describe());
            Runner runner = new Runner(out);
            List<Map<String, Object>> report = new ArrayList<>();
            boolean clean = true;
            for (Map.Entry<String, Point> p : points.entrySet()) {
                out.println(p.getKey() + ":");
                Runner.Plan plan = new Runner.Plan(server, root, load, p.getValue().mix(), repeat, pinning,
                        p.getValue().files(), evict ? budgetBytes : -1, cold, Duration.ofSeconds(90), limits);
                Runner.Outcome o = runner.run(plan);
                Map<String, Stats> summary = new LinkedHashMap<>();
                summary.put("req/s", o.requestsPerSecond());
                summary.put("MB/s", o.megabytesPerSecond());
                summary.put("p50 ms", o.p50Millis());
                summary.put("p99 ms", o.p99Millis());
                out.print(summaryLines(summary, o.errors()));
                clean &= o.failures().isEmpty() && o.errors() == 0;
                report.add(json(p.getKey(), o));
            }
            if (json != null) {
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(),
                        Map.of("server", server.argv(), "pinning", pinning.describe(), "points", report));
            }
            return clean ? ExitCode.OK.code() : ExitCode.FAILED.code();
        } finally {
            try {
                if (limits != null) {
                    limits.close(); // every server has been stopped by now
                }
            } finally {
                if (temporary) {
                    Dataset.delete(root);
                }
            }
        }
    }

    /** What one missed 64 KB block costs on the emulated disk when kernel limits are not to be had. */
    private static final String EMULATED_MISS_MS = "1";

    /** The reference server's heap under a kernel limit: an eighth of it, at least 32 MB. */
    private long heapMb() {
        return Math.max(32, memoryBudgetMb / 8);
    }

    /**
     * The mean and interval of each metric, a line each, then a note for any interval wider than its
     * mean: a student who sees "9,415 ± 75,986" needs to be told that it says nothing, and what to do.
     */
    static String summaryLines(Map<String, Stats> metrics, long errors) {
        StringBuilder s = new StringBuilder();
        List<String> tooWide = new ArrayList<>();
        for (Map.Entry<String, Stats> m : metrics.entrySet()) {
            String unitFormat = m.getKey().equals("req/s") ? "%,.0f" : m.getKey().equals("MB/s") ? "%.1f" : "%.2f";
            s.append(String.format(Locale.ROOT, "  %-8s %s%n", m.getKey(), m.getValue().format(unitFormat)));
            if (m.getValue().tooWide()) {
                tooWide.add(m.getKey());
            }
        }
        s.append(String.format(Locale.ROOT, "  %-8s %d%n", "errors", errors));
        if (!tooWide.isEmpty()) {
            s.append("  note: the 95% confidence interval of ").append(String.join(", ", tooWide))
                    .append(" is wider than the mean, so these runs cannot tell this setup from a much faster or slower")
                    .append(" one.\n        Repeat with more runs (-n 5 or more) or longer ones (-d), and compare min and max:")
                    .append(" one slow run is often a cold cache or a busy machine.\n");
        }
        return s.toString();
    }

    /** One thing to measure: its request mix and the files it reads. */
    record Point(RequestMix mix, List<Path> files) {}

    private Map<String, Point> points(Path root, long budgetBytes) throws IOException {
        Map<String, Point> points = new LinkedHashMap<>();
        switch (workload) {
            case single -> {
                for (String s : sweep != null ? sweep : List.of(size)) {
                    long bytes = parseSize(s);
                    Dataset d = Dataset.singleFile(root, bytes, seed);
                    Path file = d.paths().getFirst();
                    points.put("single file of " + s + " bytes",
                            new Point(RequestMix.single(d.files().getFirst().path(), Expected.ofFile(file)), d.paths()));
                }
            }
            case owlnet, cs -> {
                Preset preset = Preset.valueOf(workload.name().toUpperCase(Locale.ROOT));
                Preset.Workload w = datasetMb != null
                        ? preset.generateSized(root, datasetMb * 1024 * 1024, traceLength, seed)
                        : preset.generate(root, budgetBytes, traceLength, seed);
                points.put(String.format(Locale.ROOT, "%s: %d files, %.1f MB, %d requests in the trace (%d distinct)",
                                workload, w.dataset().files().size(), w.dataset().totalBytes() / 1048576.0,
                                w.trace().requests().length, w.trace().distinctFiles()),
                        new Point(w.dataset().mix(w.trace()), w.dataset().paths()));
            }
            case log -> {
                CommonLogFormat.Log parsed;
                try (InputStream in = log != null ? Files.newInputStream(log)
                        : CommonLogFormat.class.getResourceAsStream("sample-access.log");
                     BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    parsed = CommonLogFormat.read(reader);
                }
                if (parsed.requests().isEmpty()) {
                    throw Cli.usage("the log has no successful GETs to replay");
                }
                Dataset d = Dataset.fromLog(root, parsed, seed);
                Trace t = d.traceOf(parsed);
                points.put(String.format(Locale.ROOT, "log %s: %d requests over %d files (%d lines skipped, %d not CLF)",
                                log != null ? log : "sample-access.log", t.requests().length, d.files().size(),
                                parsed.skipped(), parsed.malformed()),
                        new Point(d.mix(t), d.paths()));
            }
        }
        return points;
    }

    /** "1k" is 1024 bytes, "2m" 2 MiB; plain digits are bytes. The experiments' specs read sizes with it too. */
    public static long parseSize(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long scale = 1;
        if (t.endsWith("k") || t.endsWith("m")) {
            scale = t.endsWith("k") ? 1024 : 1024 * 1024;
            t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t) * scale;
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: '" + s + "' (use bytes, or a k or m suffix)");
        }
    }

    private static Map<String, Object> json(String label, Runner.Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workload", label);
        m.put("requestsPerSecond", o.requestsPerSecond());
        m.put("megabytesPerSecond", o.megabytesPerSecond());
        m.put("p50Ms", o.p50Millis());
        m.put("p99Ms", o.p99Millis());
        m.put("failures", o.failures());
        List<Map<String, Object>> runs = new ArrayList<>();
        for (Runner.Repetition r : o.repetitions()) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("index", r.index());
            run.put("failure", r.failure());
            if (r.ok()) {
                run.put("load", r.load().toJson());
                run.put("server", r.server());
                if (r.kernel() != null) {
                    run.put("kernelLimit", r.kernel());
                }
                if (r.memory() != null) {
                    run.put("memory", Map.of("budget", r.memory().budget(), "datasetBytes", r.memory().datasetBytes(),
                            "peakResident", r.memory().peakResident(), "stayedWithin", r.memory().stayedWithin(),
                            "samples", r.memory().samples()));
                }
            }
            runs.add(run);
        }
        m.put("runs", runs);
        return m;
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos((long) (s * 1e9));
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new RunCommand(), args));
    }
}
