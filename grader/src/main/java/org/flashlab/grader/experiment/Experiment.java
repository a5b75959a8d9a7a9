package org.flashlab.grader.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.flashlab.contract.RawClient;
import org.flashlab.contract.RawResponse;
import org.flashlab.grader.ReferenceServer;
import org.flashlab.grader.disk.KernelLimits;
import org.flashlab.grader.experiment.ExperimentSpec.DiskMode;
import org.flashlab.grader.experiment.ExperimentSpec.Parameter;
import org.flashlab.grader.experiment.ExperimentSpec.ServerSpec;
import org.flashlab.grader.experiment.ExperimentSpec.WorkloadKind;
import org.flashlab.grader.experiment.ExperimentSpec.WorkloadSpec;
import org.flashlab.grader.lessons.LessonCommand;
import org.flashlab.grader.load.Expected;
import org.flashlab.grader.load.LoadResult;
import org.flashlab.grader.load.LoadSpec;
import org.flashlab.grader.load.RequestMix;
import org.flashlab.grader.run.Pinning;
import org.flashlab.grader.run.RunCommand;
import org.flashlab.grader.run.Runner;
import org.flashlab.grader.workload.Dataset;
import org.flashlab.grader.workload.Preset;

/**
 * Runs one experiment: every server at every point of the sweep, n times, saving each run as it
 * ends. The order is the one that keeps comparisons fair on a drifting machine: repetition by
 * repetition, each server in turn makes one pass over the sweep (A B A B ...), so a slow minute
 * hits every server rather than one. Each server is first checked for correct answers; one that
 * fails is reported and not measured.
 */
final class Experiment {
    /** What a run measured, by metric: the rows of the results and the points of the charts. */
    static Map<String, Double> metrics(Runner.Repetition r) {
        Map<String, Double> m = new LinkedHashMap<>();
        LoadResult l = r.load();
        m.put("requestsPerSecond", l.requestsPerSecond());
        m.put("megabytesPerSecond", l.bytesPerSecond() / 1048576.0);
        m.put("connectionsPerSecond", l.connectionsPerSecond());
        m.put("p50Ms", l.latencyMillis(50));
        m.put("p99Ms", l.latencyMillis(99));
        m.put("p999Ms", l.latencyMillis(99.9));
        m.put("slaViolationPercent", l.slaViolationPercent());
        m.put("serverCpu", r.server().cpuCores());
        m.put("serverRssMb", r.server().rssKb() / 1024.0);
        m.put("switchesPerSecond", (double) r.server().switchesPerSecond());
        return m;
    }

    /** One point of the sweep: what the clients ask for there. */
    record Point(int index, String value, RequestMix mix, List<Path> files, LoadSpec load, int idle, int slow,
                 String description, long bytes) {
        /** Whether the point's files fit in the memory budget: its runs are meant to find them cached. */
        boolean cached(long budgetMb) {
            return bytes <= budgetMb * 1048576 / 2;
        }
    }

    /** A server to measure, or why it is left out. */
    record Contender(String label, Runner.ServerCommand command, String skipped) {}

    private final ExperimentSpec.Resolved run;
    private final Path out;
    private final PrintStream console;
    private final boolean terminal;
    private final Pinning pinning;
    private volatile Runner.Session current; // stopped by the shutdown hook on Ctrl-C
    private volatile boolean stopping;       // set by the shutdown hook: start no server after it
    /** Servers that passed their smoke checks and still run, for their first pass. */
    private final Map<String, Runner.Session> smoked = new java.util.concurrent.ConcurrentHashMap<>();

    Experiment(ExperimentSpec.Resolved run, Path out, PrintStream console, boolean terminal, Pinning pinning) {
        this.run = run;
        this.pinning = pinning;
        this.out = out;
        this.console = console;
        this.terminal = terminal;
    }

    /**
     * Counts of what this session did; the results folder holds the rest. {@code broken} servers
     * failed their smoke checks; {@code leftOut} ones could not run here (not installed, or not on
     * the emulated disk), which is not a failure.
     */
    record Done(int measured, int failed, int broken, int leftOut, int planned) {}

    static String key(Point p, String server, int rep) {
        return p.index() + "|" + server + "|" + rep;
    }

    Done run(boolean fresh) throws IOException, InterruptedException {
        ExperimentSpec spec = run.spec();
        pinning.pinThisProcess();
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            // Ctrl-C or a SIGTERM: no server outlives the experiment; finished runs are already saved.
            // The main thread runs on while hooks do, so first it must start nothing more.
            stopping = true;
            Runner.Session s = current;
            if (s != null) {
                s.close();
            }
            smoked.values().forEach(Runner.Session::close);
            // A server still starting is not a session yet, and only this JVM knows it: stop every
            // process it started (the servers, their workers and helpers, the baselines' wrappers).
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            for (int round = 0; round < 3; round++) { // again, for one the main thread was starting
                List<ProcessHandle> left = ProcessHandle.current().descendants().toList();
                left.forEach(ProcessHandle::destroy);
                for (ProcessHandle h : left) {
                    try {
                        h.onExit().get(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        h.destroyForcibly();
                    } catch (InterruptedException e) {
                        h.destroyForcibly();
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        Path work = Files.createTempDirectory("flashlab-experiment-"); // the site, and the baselines' folders
        Path site = Files.createDirectories(work.resolve("site"));
        KernelLimits limits = null;
        try (ResultStore store = ResultStore.open(out, run.identity(), fresh);
             Log log = new Log(out.resolve("experiment.log"), console, terminal)) {
            store.describe("spec", spec); // the latest words: titles and claims may change between sessions
            store.describe("machine", Machine.describe(pinning.describe()));
            DiskMode disk = spec.disk().mode();
            long budgetMb = Math.round(spec.disk().memoryBudgetMb() != null ? spec.disk().memoryBudgetMb() : 64);
            String diskNote = null;
            if (disk == DiskMode.kernel) {
                KernelLimits.Probe probe = KernelLimits.probe();
                if (probe.usable()) {
                    KernelLimits.Throttle throttle = null;
                    String unthrottled = null;
                    if (spec.disk().diskMbps() != null || spec.disk().diskIops() != null) {
                        try {
                            throttle = new KernelLimits.Throttle(KernelLimits.deviceOf(site),
                                    (long) (1048576 * (spec.disk().diskMbps() == null ? 0 : spec.disk().diskMbps())),
                                    spec.disk().diskIops() == null ? 0 : spec.disk().diskIops());
                        } catch (IOException e) {
                            // tmpfs or overlay: no block device to throttle. The memory limit still holds.
                            unthrottled = "; the disk is not throttled: " + e.getMessage();
                        }
                    }
                    limits = KernelLimits.create(budgetMb * 1048576, throttle);
                    diskNote = limits.describe(throttle) + (unthrottled == null ? "" : unthrottled);
                } else {
                    disk = DiskMode.emulated;
                    diskNote = "no kernel limits here (" + probe.unusable() + "): the emulated disk instead";
                }
            }
            if (disk == DiskMode.emulated && diskNote == null) {
                diskNote = String.format(Locale.ROOT, "the emulated disk (the shared layer's): a %d MB page cache, "
                        + "%s ms for each 64 KB block that misses it", budgetMb, missMs());
            }
            Map<String, Object> diskFacts = new LinkedHashMap<>();
            diskFacts.put("mode", disk.name());
            diskFacts.put("memoryBudgetMb", budgetMb);
            diskFacts.put("note", diskNote);
            store.describe("disk", diskFacts);
            if (diskNote != null) {
                log.say(spec.name() + ": " + diskNote);
            }

            log.say(spec.name() + ": generating the workload's files");
            List<Point> points = points(site, budgetMb);
            store.describe("points", points.stream().map(p -> Map.of("value", p.value(), "workload", p.description(),
                    "connections", p.load().connections(), "idle", p.idle(), "slow", p.slow())).toList());
            List<Contender> contenders = contenders(site, disk, budgetMb);
            // A server that cannot run here (not installed, not on this disk) plans no runs.
            int leftOut = (int) contenders.stream().filter(c -> c.skipped() != null).count();
            int planned = points.size() * run.repetitions() * (contenders.size() - leftOut);
            java.util.Set<String> checked = new java.util.HashSet<>();
            int already = 0;
            for (Contender c : contenders) {
                for (int rep = 1; rep <= run.repetitions(); rep++) {
                    for (Point p : points) {
                        already += store.done(key(p, c.label(), rep)) ? 1 : 0;
                    }
                }
            }
            if (already > 0) {
                log.say(String.format(Locale.ROOT, "%s: resuming: %d of %d runs were saved in %s and are not repeated",
                        spec.name(), already, planned, out));
            }
            Runner runner = new Runner(log.lines());
            int measured = 0;
            int failed = 0;
            int broken = 0;
            Map<String, Boolean> usable = new HashMap<>();
            for (Contender c : contenders) {
                if (c.skipped() != null) {
                    store.append(Map.of("type", "skip", "server", c.label(), "why", c.skipped()));
                    log.say("  " + c.label() + ": left out: " + c.skipped());
                    usable.put(c.label(), false);
                    continue;
                }
                usable.put(c.label(), true);
            }
            try (Progress progress = Progress.start(spec.name() + " (" + run.profile() + ")", planned, already, terminal, console)) {
                for (int rep = 1; rep <= run.repetitions(); rep++) {
                    for (Contender c : contenders) {
                        if (!usable.get(c.label())) {
                            continue;
                        }
                        List<Point> todo = new ArrayList<>();
                        for (Point p : points) {
                            if (!store.done(key(p, c.label(), rep))) {
                                todo.add(p);
                            }
                        }
                        if (todo.isEmpty()) {
                            continue;
                        }
                        if (!checked.contains(c.label())) {
                            // Checked at its first turn, not all at once up front: no server waits idle
                            // beside the one being measured, sharing its core and its memory limit.
                            checked.add(c.label());
                            String why = smoke(runner, c, points, site, limits);
                            Map<String, Object> line = new LinkedHashMap<>();
                            line.put("type", "smoke");
                            line.put("server", c.label());
                            line.put("ok", why == null);
                            line.put("why", why);
                            store.append(line);
                            if (why != null) {
                                usable.put(c.label(), false);
                                log.say("  " + c.label() + ": NOT MEASURED: it failed the smoke checks: " + why);
                                broken++;
                                continue;
                            }
                        }
                        int[] counts = pass(runner, store, progress, log, c, todo, rep, site, limits, budgetMb);
                        measured += counts[0];
                        failed += counts[1];
                    }
                }
            }
            return new Done(measured, failed, broken, leftOut, planned);
        } finally {
            current = null;
            smoked.values().forEach(Runner.Session::close); // servers whose every run was already saved
            smoked.clear();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it stops the server
            }
            try {
                if (limits != null) {
                    limits.close();
                }
            } finally {
                Dataset.delete(work);
            }
        }
    }

    /** One server's pass over the points left in one repetition; returns {measured, failed}. */
    private int[] pass(Runner runner, ResultStore store, Progress progress, Log log, Contender c, List<Point> todo,
                       int rep, Path site, KernelLimits limits, long budgetMb) throws IOException, InterruptedException {
        int measured = 0;
        int failed = 0;
        Runner.Session session = smoked.remove(c.label()); // the server the smoke checks started, if still up
        if (session != null) {
            current = session;
        }
        boolean fresh = true;
        try {
            for (Point p : todo) {
                Runner.Plan plan = plan(c, p, site, limits);
                Runner.Repetition r;
                if (session == null) {
                    if (stopping) {
                        throw new InterruptedException("stopping: the experiment was interrupted");
                    }
                    try {
                        session = runner.start(plan, rep);
                        current = session;
                        fresh = true;
                    } catch (IllegalStateException e) {
                        session = null;
                    }
                }
                if (session != null && fresh) {
                    // A fresh JVM compiles its hot code in its first second (each MP worker on its
                    // own): the first point after a start warms up longer.
                    fresh = false;
                    LoadSpec l = plan.load();
                    plan = withLoad(plan, l.withDuration(l.duration(), l.warmup().plus(START_WARMUP)));
                } else if (session != null && limits != null) {
                    // The start dropped the first point's pages; a later point's were written by the
                    // grader and would be read outside the limit: drop them too, as a start would.
                    Runner.evict(p.files(), rep);
                }
                if (session != null && run.spec().disk().mode() != DiskMode.none && p.cached(budgetMb)) {
                    warm(session, p, log);
                }
                if (session == null) {
                    r = Runner.failed(rep, "the server did not start");
                } else {
                    try (Bystanders b = new Bystanders(session.port(), p.idle(), p.slow())) {
                        r = runner.measure(session, plan, rep);
                        if (b.failures() > 0 && r.ok()) {
                            log.lines().printf(Locale.ROOT, "  note: %d of the %d idle or slow connections could not be opened%n",
                                    b.failures(), p.idle() + p.slow());
                        }
                    }
                    if (Runner.needsRestart(session, r)) {
                        session.close();
                        session = null;
                        current = null;
                    }
                }
                store.append(line(p, c.label(), rep, r));
                log.lines().println(Runner.line(c.label() + " @ " + p.value(), r).replaceFirst("^  ", "  " + run.spec().name() + ": "));
                if (r.ok()) {
                    measured++;
                } else {
                    failed++;
                    log.sayBesideProgress("  " + c.label() + " @ " + p.value() + " run " + rep + " FAILED: "
                            + r.failure().lines().findFirst().orElse(""));
                }
                progress.step(c.label() + " @ " + p.value());
            }
        } finally {
            if (session != null) {
                session.close();
                current = null;
            }
        }
        return new int[] {measured, failed};
    }

    private static Map<String, Object> line(Point p, String server, int rep, Runner.Repetition r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "run");
        m.put("key", key(p, server, rep));
        m.put("point", p.value());
        m.put("pointIndex", p.index());
        m.put("server", server);
        m.put("rep", rep);
        m.put("ok", r.ok());
        m.put("at", Instant.now().toString());
        if (!r.ok()) {
            m.put("failure", r.failure());
            return m;
        }
        m.put("metrics", metrics(r));
        // The generator runs on a core of its own (pinning): when it used all of it, the run
        // measured the client as much as the server, and the report marks it.
        m.put("clientSaturated", r.load().clientSaturated(Runtime.getRuntime().availableProcessors()));
        m.put("load", r.load().toJson());
        m.put("latencyHistogram", ResultStore.encode(r.load().latency()));
        m.put("serverCost", r.server());
        if (r.kernel() != null) {
            m.put("kernelLimit", r.kernel());
        }
        if (r.memory() != null) {
            m.put("memory", Map.of("budget", r.memory().budget(), "peakResident", r.memory().peakResident(),
                    "stayedWithin", r.memory().stayedWithin()));
        }
        return m;
    }

    /**
     * Reads each of a cached point's files once before its warm-up: "cached" means the files were
     * read before, and a load that finds them cold measures the first reads (on the emulated disk,
     * a SPED that blocks on each one) instead. Eight clients share the files, as a browser's
     * connections would; bounded by the file count and by a minute.
     */
    private static void warm(Runner.Session session, Point p, Log log) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        List<String> paths = p.mix().paths();
        int clients = Math.min(WARMING_CLIENTS, paths.size());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            int first = t;
            threads.add(Thread.ofPlatform().name("warm-" + t).start(() -> {
                try (RawClient client = new RawClient(session.port())) {
                    for (int i = first; i < paths.size() && System.nanoTime() - deadline < 0; i += clients) {
                        if (client.get(paths.get(i)).status() != 200) {
                            return; // the measured runs will say what is wrong
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    log.lines().println("  note: warming the cache stopped: " + e.getMessage());
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static final int WARMING_CLIENTS = 8;

    /** Extra warm-up for the first point measured after a server starts. */
    static final Duration START_WARMUP = Duration.ofMillis(500);

    private static Runner.Plan withLoad(Runner.Plan p, LoadSpec load) {
        return new Runner.Plan(p.server(), p.docroot(), load, p.mix(), p.repeat(), p.pinning(), p.dataset(), p.memoryBudget(),
                p.cold(), p.readyTimeout(), p.limits());
    }

    private Runner.Plan plan(Contender c, Point p, Path site, KernelLimits limits) {
        return new Runner.Plan(c.command(), site, p.load(), p.mix(), 1, pinning, p.files(), -1, false,
                Duration.ofSeconds(90), limits);
    }

    /**
     * Correctness before speed: every point's first file comes back whole, a missing file is a 404
     * and a malformed request a 400. A server that fails is not measured: its numbers would mean
     * nothing.
     */
    private String smoke(Runner runner, Contender c, List<Point> points, Path site, KernelLimits limits)
            throws IOException, InterruptedException {
        if (stopping) {
            throw new InterruptedException("stopping: the experiment was interrupted");
        }
        Runner.Session s;
        try {
            s = runner.start(plan(c, points.getFirst(), site, limits), 0);
        } catch (IllegalStateException e) {
            String why = e.getMessage().lines().limit(12).reduce((a, b) -> a + "\n" + b).orElse("");
            if (limits != null && why.contains("status 137")) {
                why = "killed (status 137), most likely by the kernel for want of memory under the "
                        + limits.memoryBytes() / 1048576 + " MB limit: " + why;
            }
            return "it did not start: " + why;
        }
        current = s;
        boolean passed = false;
        try {
            for (Point p : points) {
                String path = p.mix().paths().getFirst();
                Expected want = p.mix().expected().getFirst();
                try (RawClient client = new RawClient(s.port())) {
                    RawResponse r = client.get(path);
                    if (r.status() != 200) {
                        return "GET " + path + " answered " + r.statusLine() + ", not 200";
                    }
                    Expected got = Expected.of(r.body());
                    if (got.length() != want.length() || got.crc32() != want.crc32()) {
                        return "GET " + path + " returned " + got.length() + " bytes that are not the file's " + want.length();
                    }
                }
            }
            try (RawClient client = new RawClient(s.port())) {
                RawResponse r = client.get("/flashlab-no-such-file");
                if (r.status() != 404) {
                    return "GET of a missing file answered " + r.statusLine() + ", not 404";
                }
            }
            try (RawClient client = new RawClient(s.port())) {
                RawResponse r = client.send("NOT A REQUEST\r\n\r\n").read(false);
                if (r.status() != 400) {
                    return "a malformed request line was answered " + r.statusLine() + ", not 400";
                }
            }
            passed = s.isAlive();
            return passed ? null : "it exited after the checks";
        } catch (IOException | RuntimeException e) {
            return "the checks could not finish: " + e.getMessage();
        } finally {
            current = null;
            if (passed) {
                smoked.put(c.label(), s); // its first pass measures on it: one start fewer
            } else {
                s.close();
            }
        }
    }

    private String missMs() {
        Double m = run.spec().disk().missMs();
        return m == null ? "5" : trim(m); // the reference server's own default
    }

    /** Every server of the spec, as a command, or the reason it is left out. */
    private List<Contender> contenders(Path site, DiskMode disk, long budgetMb) throws IOException {
        List<Contender> list = new ArrayList<>();
        for (ServerSpec s : run.spec().servers()) {
            String label = s.displayLabel();
            List<String> options = s.options() == null ? List.of() : s.options();
            if (s.model() != null) {
                // --child: the server exits when this JVM does, however it ends (its stdin is our pipe)
                List<String> args = new ArrayList<>(List.of("--port", "{port}", "--docroot", "{docroot}", "--child"));
                args.addAll(options);
                if (disk == DiskMode.emulated) {
                    args.addAll(List.of("--sim-disk-cache-mb", Long.toString(budgetMb), "--sim-disk-miss-ms", missMs()));
                }
                List<String> argv;
                try {
                    argv = ReferenceServer.command(s.model(), args);
                } catch (RuntimeException e) { // this copy of the kit has no reference server
                    list.add(new Contender(label, null, e.getMessage()));
                    continue;
                }
                if (disk == DiskMode.kernel) {
                    argv.add(1, "-Xmx" + Math.max(32, budgetMb / 8) + "m"); // leave the limit to the page cache
                }
                list.add(new Contender(label, new Runner.ServerCommand(label, argv), null));
            } else if (s.lesson() != null) {
                List<String> flags = new ArrayList<>(options);
                if (disk == DiskMode.emulated) {
                    // A lesson's server on the shared layer reads through the same emulated disk.
                    flags.addAll(List.of("--sim-disk-cache-mb", Long.toString(budgetMb), "--sim-disk-miss-ms", missMs()));
                }
                try {
                    list.add(new Contender(label, new Runner.ServerCommand(label, LessonCommand.serverCommand(
                            s.lesson(), Boolean.TRUE.equals(s.solution()), flags)), null));
                } catch (IllegalArgumentException e) {
                    list.add(new Contender(label, null, e.getMessage()));
                }
            } else if (s.external() != null) {
                if (!External.installed(s.external())) {
                    list.add(new Contender(label, null, External.program(s.external()) + " is not installed (apt-get install "
                            + (s.external().equals("nginx") ? "nginx-light" : "apache2") + ")"));
                } else if (disk == DiskMode.emulated) {
                    list.add(new Contender(label, null, "the emulated disk lives in servers built on the kit's shared layer; "
                            + s.external() + " reads the real one, so its numbers would not compare"));
                } else {
                    list.add(new Contender(label, new Runner.ServerCommand(label,
                            External.command(s.external(), site.resolveSibling(label.replaceAll("[^A-Za-z0-9-]", "_")), site)),
                            null));
                }
            } else {
                list.add(new Contender(label, new Runner.ServerCommand(label, s.command()), null));
            }
        }
        return list;
    }

    /** The sweep's points, with their files written under {@code site}/p0, p1, ... */
    private List<Point> points(Path site, long budgetMb) throws IOException {
        ExperimentSpec spec = run.spec();
        WorkloadSpec w = spec.workload();
        Parameter param = spec.sweep().parameter();
        long seed = w.seed() != null ? w.seed() : 1999;
        int traceLength = w.traceLength() != null ? w.traceLength() : 100_000;
        Map<String, Object[]> made = new HashMap<>(); // files are written once per distinct dataset
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < run.points().size(); i++) {
            String v = run.points().get(i);
            String fileSize = param == Parameter.fileSize ? v : w.fileSize() != null ? w.fileSize() : "1k";
            String trace = param == Parameter.trace ? v : w.trace() != null ? w.trace() : "owlnet";
            Double datasetMb = param == Parameter.datasetMb ? Double.valueOf(v) : w.datasetMb();
            String datasetKey = switch (w.kind() == null ? WorkloadKind.singleFile : w.kind()) {
                case singleFile -> "single " + fileSize;
                case trace -> "trace " + trace + " " + datasetMb;
                case sampleSite -> "sample site";
            };
            Object[] ds = made.get(datasetKey);
            if (ds == null) {
                Path dir = site.resolve("p" + i);
                String prefix = "/p" + i;
                RequestMix mix;
                List<Path> files;
                String description;
                switch (w.kind() == null ? WorkloadKind.singleFile : w.kind()) {
                    case singleFile -> {
                        Dataset d = Dataset.singleFile(dir, RunCommand.parseSize(fileSize), seed);
                        mix = RequestMix.single(prefix + d.files().getFirst().path(), Expected.ofFile(d.paths().getFirst()));
                        files = d.paths();
                        description = "one file of " + fileSize + " bytes";
                    }
                    case trace -> {
                        Preset preset = Preset.valueOf(trace.toUpperCase(Locale.ROOT));
                        long bytes = datasetMb != null ? (long) (datasetMb * 1048576)
                                : (long) (budgetMb * 1048576 * preset.datasetOverMemory());
                        Preset.Workload pw = preset.generateSized(dir, bytes, traceLength, seed);
                        mix = pw.dataset().mix(pw.trace()).under(prefix);
                        files = pw.dataset().paths();
                        description = String.format(Locale.ROOT, "%s-like trace: %d files, %.1f MB", trace,
                                pw.dataset().files().size(), pw.dataset().totalBytes() / 1048576.0);
                    }
                    case sampleSite -> {
                        Path sample = Path.of(System.getProperty("flashlab.home", "."), "server", "sample-site");
                        List<String> paths = new ArrayList<>();
                        List<Expected> expected = new ArrayList<>();
                        files = new ArrayList<>();
                        try (Stream<Path> walk = Files.walk(sample)) {
                            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                                Path copy = dir.resolve(sample.relativize(f).toString());
                                Files.createDirectories(copy.getParent());
                                Files.copy(f, copy);
                                String rel = sample.relativize(f).toString().replace('\\', '/');
                                if (rel.chars().allMatch(ch -> ch > ' ' && ch < 0x7f && ch != '%' && ch != '?' && ch != '#')) {
                                    paths.add(prefix + "/" + rel);
                                    expected.add(Expected.ofFile(copy));
                                    files.add(copy);
                                }
                            }
                        }
                        if (paths.isEmpty()) {
                            throw new IOException("the sample site " + sample + " has no files to request");
                        }
                        int[] order = new int[paths.size()];
                        for (int k = 0; k < order.length; k++) {
                            order[k] = k;
                        }
                        mix = new RequestMix(paths, expected, order);
                        description = "the bundled sample site: " + paths.size() + " files";
                    }
                    default -> throw new IllegalStateException();
                }
                ds = new Object[] {mix, files, description};
                made.put(datasetKey, ds);
            }
            int connections = param == Parameter.connections ? Integer.parseInt(v)
                    : w.connections() != null ? w.connections() : 50;
            double rate = param == Parameter.rate ? Double.parseDouble(v) : w.rate() != null ? w.rate() : 0;
            boolean keepAlive = !Boolean.TRUE.equals(w.newConnections());
            double slaMs = spec.sla() != null ? spec.sla().latencyMs() : 100;
            Duration roundTrip = Duration.ofNanos((long) ((w.roundTripMs() == null ? 0 : w.roundTripMs()) * 1e6));
            int threads = 1; // the client has one core of its own (pinning): one driver thread
            LoadSpec load = new LoadSpec(URI.create("http://127.0.0.1/"), connections, threads,
                    Duration.ofNanos((long) (run.durationSeconds() * 1e9)), Duration.ofNanos((long) (run.warmupSeconds() * 1e9)),
                    rate, keepAlive, 1, Duration.ofSeconds(2), Duration.ofNanos((long) (slaMs * 1e6)), null, roundTrip);
            int idle = param == Parameter.idleConnections ? Integer.parseInt(v) : w.idleConnections() != null ? w.idleConnections() : 0;
            int slow = param == Parameter.slowClients ? Integer.parseInt(v) : w.slowClients() != null ? w.slowClients() : 0;
            @SuppressWarnings("unchecked")
            List<Path> files = (List<Path>) ds[1];
            long bytes = 0;
            for (Path f : files) {
                bytes += Files.size(f);
            }
            points.add(new Point(i, v, (RequestMix) ds[0], files, load, idle, slow, (String) ds[2], bytes));
        }
        return points;
    }

    static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
