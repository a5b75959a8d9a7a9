package org.flashlab.grader.run;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.flashlab.contract.ServerProcess;
import org.flashlab.cli.Cli;
import org.flashlab.grader.proc.ProcTree;
import org.flashlab.grader.disk.KernelLimits;
import org.flashlab.grader.disk.MemoryBudget;
import org.flashlab.grader.load.LoadGenerator;
import org.flashlab.grader.load.LoadResult;
import org.flashlab.grader.load.LoadSpec;
import org.flashlab.grader.load.RequestMix;

/**
 * Runs one measurement the way every experiment in the kit does: start the server under test as a
 * child process from any command line, wait for its readiness line, then warm up and measure n
 * times, sampling the server's process tree from /proc, and stop the whole tree at the end.
 *
 * A server that dies or never gets ready is reported for the repetition it spoiled and started
 * again for the next one: one crash never costs the results of the other runs.
 */
public final class Runner {

    /**
     * How to start a server: a command line in which {@code {docroot}} becomes the document root and
     * {@code {port}} becomes 0 (the server then names its port in its readiness line).
     */
    public record ServerCommand(String label, List<String> argv) {
        public ServerCommand {
            argv = List.copyOf(argv);
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("an empty server command");
            }
        }

        List<String> resolve(Path docroot) {
            return argv.stream().map(a -> a.replace("{docroot}", docroot.toString()).replace("{port}", "0")).toList();
        }
    }

    /**
     * One measurement, repeated.
     *
     * @param load         connections, duration, warm-up, loop kind; its target's host and port are replaced
     * @param memoryBudget bytes for the server plus the dataset's cached pages, or -1 for no budget
     * @param cold         evict the dataset before each repetition
     * @param limits       kernel-enforced memory limit and disk throttle the server runs under, or null
     */
    public record Plan(ServerCommand server, Path docroot, LoadSpec load, RequestMix mix, int repeat,
                       Pinning pinning, List<Path> dataset, long memoryBudget, boolean cold, Duration readyTimeout,
                       KernelLimits limits) {
        public Plan(ServerCommand server, Path docroot, LoadSpec load, RequestMix mix, int repeat, Pinning pinning,
                    List<Path> dataset, long memoryBudget, boolean cold, Duration readyTimeout) {
            this(server, docroot, load, mix, repeat, pinning, dataset, memoryBudget, cold, readyTimeout, null);
        }

        public Plan {
            if (repeat < 1) {
                throw new IllegalArgumentException("repeat must be at least 1");
            }
            dataset = List.copyOf(dataset);
        }
    }

    /** The server's cost over the measured interval, from /proc (-1 where unknown). */
    public record ServerCost(double cpuCores, long rssKb, long anonKb, long fileKb, long threads, long processes,
                             long switchesPerSecond, long mappings) {
        static final ServerCost UNKNOWN = new ServerCost(-1, -1, -1, -1, -1, -1, -1, -1);
    }

    /**
     * The server's memory under a kernel limit during one repetition: the group's peak (its processes
     * plus their page cache) and how often the kernel had to reclaim at the limit.
     */
    public record KernelUse(long peakBytes, long limitBytes, long limitHits) {
        String summary() {
            return String.format(Locale.ROOT, "kernel limit: peak %.0f MB of %.0f MB (processes and page cache), "
                    + "reclaimed at the limit %,d times", peakBytes / 1048576.0, limitBytes / 1048576.0, limitHits);
        }
    }

    /** One repetition: its load result, or why it has none. */
    public record Repetition(int index, LoadResult load, ServerCost server, MemoryBudget.Report memory, KernelUse kernel,
                             String failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    /** Every repetition of a plan, and statistics over the good ones. */
    public record Outcome(String label, List<Repetition> repetitions) {
        private double[] values(java.util.function.ToDoubleFunction<LoadResult> f) {
            return repetitions.stream().filter(Repetition::ok).map(Repetition::load).mapToDouble(f).toArray();
        }

        public Stats requestsPerSecond() {
            return Stats.of(values(LoadResult::requestsPerSecond));
        }

        public Stats megabytesPerSecond() {
            return Stats.of(values(r -> r.bytesPerSecond() / (1024 * 1024)));
        }

        public Stats p50Millis() {
            return Stats.of(values(r -> r.latencyMillis(50)));
        }

        public Stats p99Millis() {
            return Stats.of(values(r -> r.latencyMillis(99)));
        }

        public long errors() {
            return repetitions.stream().filter(Repetition::ok).mapToLong(r -> r.load().errors().total()).sum();
        }

        public List<String> failures() {
            return repetitions.stream().filter(r -> !r.ok()).map(r -> "run " + r.index() + ": " + r.failure()).toList();
        }
    }

    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on every Linux this runs on

    private final PrintStream progress;

    public Runner(PrintStream progress) {
        this.progress = progress;
    }

    /**
     * A started server that several measurements share: the experiments runner starts each server
     * once per pass over its sweep, and {@link #run} once per plan.
     */
    public static final class Session implements AutoCloseable {
        private final ServerProcess server;
        // Every process the server tree ever had: when a server dies, its workers are reparented
        // away from its tree, and only this list still knows to stop them.
        private final Set<ProcessHandle> seen = new LinkedHashSet<>();

        private Session(ServerProcess server) {
            this.server = server;
            remember();
        }

        public int port() {
            return server.port();
        }

        public boolean isAlive() {
            return server.isAlive();
        }

        /** The server's root process, whose tree /proc is sampled from. */
        public ProcessHandle process() {
            return server.process().toHandle();
        }

        private void remember() {
            ProcessHandle root = server.process().toHandle();
            seen.add(root);
            root.descendants().forEach(seen::add);
        }

        /** Stops the server's tree, and any process it ever had that outlived its parent. */
        @Override
        public void close() {
            server.close();
            seen.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            seen.clear();
        }
    }

    /**
     * Starts the plan's server and waits for its readiness line.
     *
     * @throws IllegalStateException with the server's output when it exits or stays silent
     */
    public Session start(Plan plan, int index) {
        List<String> argv = plan.pinning().server(plan.server().resolve(plan.docroot()));
        try {
            if (plan.limits() != null) {
                // The grader wrote the dataset, so its cached pages are charged to the grader,
                // not to the server's group: drop them, and the server reads what it needs.
                evictAll(plan, index);
                argv = plan.limits().wrap(argv);
            }
            return new Session(ServerProcess.start(argv, null, plan.readyTimeout()));
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * One repetition of the plan on a started server. When the server died during it, or answered
     * nothing right, the repetition says so and the caller must start the server again.
     */
    public Repetition measure(Session session, Plan plan, int index) throws InterruptedException {
        session.remember();
        Repetition r = once(plan, session.server, index);
        session.remember();
        if (!session.isAlive()) {
            r = failed(index, "the server exited during the run (status " + session.server.process().exitValue()
                    + "); its last output:\n" + tail(session.server.output()));
        } else if (r.ok() && r.load().requests() == 0 && r.load().errors().total() > 0) {
            LoadResult.Errors e = r.load().errors();
            r = failed(index, String.format(Locale.ROOT, "not one correct answer (errors: connect %d, reset %d, "
                            + "timeout %d, bad status %d, wrong bytes %d): hung or broken; started again for the next run",
                    e.connect(), e.reset(), e.timeout(), e.badStatus(), e.wrongBytes()));
        }
        return r;
    }

    /** True when a repetition's failure means the server must be started again. */
    public static boolean needsRestart(Session session, Repetition r) {
        return !session.isAlive() || (!r.ok() && r.failure().startsWith("not one correct answer"));
    }

    public Outcome run(Plan plan) throws InterruptedException {
        List<Repetition> reps = new ArrayList<>();
        Session session = null;
        try {
            for (int i = 1; i <= plan.repeat(); i++) {
                if (session == null) {
                    try {
                        session = start(plan, i);
                    } catch (IllegalStateException e) {
                        reps.add(failed(i, "the server did not start: " + e.getMessage()));
                        progress.println(line(plan.server().label(), reps.getLast()));
                        continue;
                    }
                }
                Repetition r = measure(session, plan, i);
                if (needsRestart(session, r)) {
                    session.close();
                    session = null;
                }
                reps.add(r);
                progress.println(line(plan.server().label(), r));
            }
        } finally {
            if (session != null) {
                session.close();
            }
        }
        return new Outcome(plan.server().label(), List.copyOf(reps));
    }

    public static Repetition failed(int index, String why) {
        return new Repetition(index, null, ServerCost.UNKNOWN, null, null, why);
    }

    private static void evictAll(Plan plan, int index) throws java.io.UncheckedIOException {
        evict(plan.dataset(), index);
    }

    /**
     * Drops these files' pages from the page cache. Under a kernel limit this matters: pages the
     * grader wrote are charged to the grader, and a server would read them for free, outside its limit.
     */
    public static void evict(List<Path> files, int index) throws java.io.UncheckedIOException {
        try (MemoryBudget all = new MemoryBudget(files, 0, null, index)) {
            all.evictAll();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not drop the dataset's cached pages", e);
        }
    }

    private Repetition once(Plan plan, ServerProcess server, int index) throws InterruptedException {
        ProcessHandle tree = server.process().toHandle();
        LoadSpec spec = plan.load().withTarget(URI.create("http://127.0.0.1:" + server.port() + "/")).withMix(plan.mix());
        MemoryBudget budget = null;
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("proc-sampler").unstarted(r));
        try {
            if (plan.memoryBudget() >= 0) {
                budget = new MemoryBudget(plan.dataset(), plan.memoryBudget(), tree, index);
            }
            if (plan.cold() && budget != null) {
                budget.evictAll();
            } else if (plan.cold()) {
                evictAll(plan, index);
            }
            KernelLimits limits = plan.limits();
            long hitsBefore = limits == null ? 0 : limits.limitHits();
            if (limits != null) {
                limits.resetPeak();
            }
            if (budget != null) {
                budget.start(10);
            }
            long warm = spec.warmup().toMillis();
            long measure = spec.duration().toMillis();
            Future<ProcTree> from = sampler.schedule(() -> ProcTree.sample(tree), warm, TimeUnit.MILLISECONDS);
            Future<ProcTree> middle = sampler.schedule(() -> ProcTree.sample(tree), warm + measure / 2, TimeUnit.MILLISECONDS);
            Future<ProcTree> to = sampler.schedule(() -> ProcTree.sample(tree), warm + measure, TimeUnit.MILLISECONDS);
            LoadResult load = new LoadGenerator(spec).run();
            ServerCost cost = cost(from.get(), middle.get(), to.get(), measure / 1000.0);
            MemoryBudget.Report memory = null;
            if (budget != null) {
                try {
                    budget.close();
                } catch (IOException e) {
                    // The load's numbers stand; the budget's report shows how far its sweeps got.
                    progress.println("  run " + index + ": " + e.getMessage());
                }
                memory = budget.report();
            }
            KernelUse kernel = limits == null ? null
                    : new KernelUse(limits.peakBytes(), limits.memoryBytes(), limits.limitHits() - hitsBefore);
            return new Repetition(index, load, cost, memory, kernel, null);
        } catch (IOException | ExecutionException | RuntimeException e) {
            return failed(index, "the run failed: " + e);
        } finally {
            sampler.shutdownNow();
            if (budget != null) {
                try {
                    budget.close(); // a second close does nothing; this one is for the paths that threw
                } catch (IOException e) {
                    progress.println("  run " + index + ": " + e.getMessage());
                }
            }
        }
    }

    private static ServerCost cost(ProcTree from, ProcTree middle, ProcTree to, double seconds) {
        if (from.cpuTicks() < 0 || to.cpuTicks() < 0) {
            return ServerCost.UNKNOWN;
        }
        double cpu = (to.cpuTicks() - from.cpuTicks()) / (double) CLOCK_TICKS_PER_SECOND / seconds;
        return new ServerCost(cpu, middle.rssKb(), middle.anonKb(), middle.fileKb(), middle.threads(), middle.processes(),
                to.switchesPerSecondSince(from, seconds),
                Math.max(from.mappings(), Math.max(middle.mappings(), to.mappings())));
    }

    private static String tail(String output) {
        String[] lines = output.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 15), lines.length));
    }

    /** One repetition as a line of the progress table. */
    public static String line(String label, Repetition r) {
        if (!r.ok()) {
            return String.format(Locale.ROOT, "  %s run %d: FAILED: %s", label, r.index(), r.failure());
        }
        LoadResult l = r.load();
        ServerCost c = r.server();
        String s = String.format(Locale.ROOT,
                "  %s run %d: %,.0f req/s, %.1f MB/s, p50 %.2f ms, p99 %.2f ms, errors %d | server %.2f cores, "
                        + "RSS %.0f MB (own %.0f, file %.0f), %s, %s, %,d mappings, %,d switches/s | client %.2f cores",
                label, r.index(), l.requestsPerSecond(), l.bytesPerSecond() / (1024 * 1024), l.latencyMillis(50),
                l.latencyMillis(99), l.errors().total(), c.cpuCores(), c.rssKb() / 1024.0, c.anonKb() / 1024.0, c.fileKb() / 1024.0,
                Cli.count(c.threads(), "thread"), Cli.count(c.processes(), "process"), c.mappings(), c.switchesPerSecond(), l.clientCpu());
        if (l.targetRate() > 0) {
            s += String.format(Locale.ROOT, " | achieved %,.0f of %,.0f req/s, %.2f%% over the SLA",
                    l.requestsPerSecond(), l.targetRate(), l.slaViolationPercent());
        }
        String late = l.schedule() == null ? null : l.schedule().warning(l.requests());
        if (late != null) {
            s += "\n    WARNING: " + late;
        }
        if (l.clientSaturated(Runtime.getRuntime().availableProcessors())) {
            s += "\n    WARNING: the load generator used all its CPU; this run measured the client, not the server";
        }
        if (r.memory() != null) {
            s += "\n    " + r.memory().summary();
        }
        if (r.kernel() != null) {
            s += "\n    " + r.kernel().summary();
        }
        return s;
    }
}
