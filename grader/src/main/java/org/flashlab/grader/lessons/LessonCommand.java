package org.flashlab.grader.lessons;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.flashlab.cli.Cli;
import org.flashlab.cli.ExitCode;
import org.flashlab.grader.ReferenceServer;
import org.flashlab.grader.load.Expected;
import org.flashlab.grader.load.LoadSpec;
import org.flashlab.grader.load.RequestMix;
import org.flashlab.grader.run.Pinning;
import org.flashlab.grader.run.Runner;
import org.flashlab.grader.run.Stats;
import org.flashlab.grader.workload.Dataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The student's commands: `flashlab lessons` lists the lessons with the progress in each, and
 * `flashlab lesson test|server|measure N` tests, runs and measures one. Instructors add `--solution`
 * to any of them, and `flashlab lesson generate` rewrites the starters from the solutions.
 */
@Command(name = "flashlab lesson", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Test, run and measure your server for one lesson.",
        subcommands = {LessonCommand.Test.class, LessonCommand.Serve.class, LessonCommand.Measure.class,
                LessonCommand.ListLessons.class, LessonCommand.Generate.class, LessonCommand.MutationReport.class,
                LessonCommand.Progress.class})
public final class LessonCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw Cli.usage("say what to do: test, server, measure (or see 'flashlab lessons')");
    }

    /** The kit's root: the launcher passes it. */
    static Path kit() {
        return Path.of(System.getProperty("flashlab.home", ".")).toAbsolutePath().normalize();
    }

    static Lesson lesson(String name, boolean solution) {
        Lesson lesson;
        try {
            lesson = Lesson.find(kit(), name);
        } catch (IllegalArgumentException e) {
            throw Cli.usage(e.getMessage());
        }
        if (solution && !lesson.hasSolution()) {
            throw Cli.usage("--solution: this copy of the kit has no solution for lesson " + lesson.name());
        }
        return lesson;
    }

    /**
     * The command that serves lesson {@code name}'s server (the student's, or the solution), with
     * {@code {port}} and {@code {docroot}} to fill in: the experiments runner measures lessons with it.
     * {@code options} are {@link ServeLesson}'s; {@code --class CLASS} among them runs another server
     * class of the lesson (lesson 07 has four).
     *
     * @throws IllegalArgumentException when there is no such lesson, no solution in this copy, or no server
     */
    public static List<String> serverCommand(String name, boolean solution, List<String> options) {
        Lesson l = Lesson.find(kit(), name);
        if (solution && !l.hasSolution()) {
            throw new IllegalArgumentException("this copy of the kit has no solution for lesson " + l.name());
        }
        if (!l.emulatedDisk() && options.contains("--sim-disk-cache-mb")) {
            throw new IllegalArgumentException("lesson " + l.name() + "'s servers read the real disk (their worker "
                    + "processes are not told of the emulated one), so their numbers on it would not compare");
        }
        List<String> rest = new ArrayList<>(options);
        String cls = null;
        int at = rest.indexOf("--class");
        if (at >= 0) {
            if (at + 1 >= rest.size()) {
                throw new IllegalArgumentException("--class needs a class name");
            }
            cls = rest.remove(at + 1);
            rest.remove(at);
        }
        List<String> args = new ArrayList<>(List.of(cls != null ? cls : l.requireServer(), "--docroot", "{docroot}",
                "--port", "{port}"));
        args.addAll(rest);
        return java(l, solution, Selector.epoll, ServeLesson.class.getName(), args);
    }

    /**
     * The command that serves {@code serverClass} from the lesson's own classes (the student's, not the
     * solution's), with {@code {port}} and {@code {docroot}} to fill in: the grader runs a submission so.
     */
    public static List<String> serveCommand(Lesson lesson, String serverClass, List<String> options) {
        List<String> args = new ArrayList<>(List.of(serverClass, "--docroot", "{docroot}", "--port", "{port}"));
        args.addAll(options);
        return java(lesson, false, Selector.epoll, ServeLesson.class.getName(), args);
    }

    /** The lesson's server class, or a usage error for a lesson without one. */
    static String server(Lesson l) {
        try {
            return l.requireServer();
        } catch (IllegalArgumentException e) {
            throw Cli.usage(e.getMessage());
        }
    }

    /** The JVM command that runs {@code mainClass} on the lesson's classes (see {@link ClassPaths}). */
    static List<String> java(Lesson lesson, boolean solution, Selector selector, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED"));
        if (selector == Selector.poll) {
            command.add("-Djava.nio.channels.spi.SelectorProvider=" + POLL_PROVIDER);
        }
        command.addAll(List.of("-cp", ClassPaths.forLesson(List.of(lesson.classes(solution))), mainClass));
        command.addAll(args);
        return command;
    }

    /** The JDK's selector on poll(2); its default on Linux is epoll(7). */
    static final String POLL_PROVIDER = "sun.nio.ch.PollSelectorProvider";

    /** Which system call a java.nio Selector uses: lesson 03 compares the two. */
    enum Selector { epoll, poll }

    @Command(name = "test", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = {"Runs a lesson's tests against your code, then the earlier lessons' (to catch regressions).",
                    "Exits with 0 when the lesson's own tests all pass."})
    static final class Test implements Callable<Integer> {
        @Parameters(paramLabel = "LESSON", description = "The lesson: 0, 00, 00-http or http.")
        String name;

        @Option(names = "--only", description = "Run this lesson's tests only, not the earlier lessons'.")
        boolean only;

        @Option(names = "--solution", description = "Test the solution instead of your code (instructors).")
        boolean solution;

        @Override
        public Integer call() throws Exception {
            PrintStream out = System.out;
            Lesson focus = lesson(name, solution);
            List<Lesson> lessons = only ? List.of(focus) : Lesson.upTo(kit(), focus);
            List<String> summary = new ArrayList<>();
            boolean focusPassed = false;
            for (Lesson l : lessons) {
                LessonTestMain.Report r = LessonTests.run(l, solution, out);
                boolean passed = r.failed() == 0 && r.passed() > 0;
                if (l.equals(focus)) {
                    focusPassed = passed;
                }
                summary.add(String.format(Locale.ROOT, "  %s  %-28s %3d of %3d tests pass%s", passed ? "ok  " : "FAIL",
                        l.name(), r.passed(), r.passed() + r.failed(), l.equals(focus) ? "" : "  (earlier lesson)"));
            }
            out.println();
            out.println("summary:");
            summary.forEach(out::println);
            if (!focusPassed) {
                out.println("The messages above say what each failing test expected and where in "
                        + kit().relativize(focus.dir().resolve("README.md")) + " to look.");
            }
            return focusPassed ? ExitCode.OK.code() : ExitCode.FAILED.code();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = "Lists the lessons, with how many of each one's tests passed when you last ran them.")
    static final class ListLessons implements Callable<Integer> {
        @Option(names = "--solution", description = "The solutions' progress instead of yours (instructors).")
        boolean solution;

        @Override
        public Integer call() throws IOException {
            DateTimeFormatter when = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());
            for (Lesson l : Lesson.all(kit())) {
                if (solution && !l.hasSolution()) {
                    continue;
                }
                Path progress = l.progressFile(solution);
                String state;
                if (Files.exists(progress)) {
                    LessonTestMain.Report r = new ObjectMapper().readValue(progress.toFile(), LessonTestMain.Report.class);
                    int total = r.passed() + r.failed();
                    state = String.format(Locale.ROOT, "%3d of %3d tests pass %s (%s)", r.passed(), total,
                            bar(r.passed(), total), when.format(Instant.ofEpochMilli(progress.toFile().lastModified())));
                } else {
                    state = "not tested yet: ./flashlab lesson test " + l.number();
                }
                System.out.printf(Locale.ROOT, "%s  %-36s %s%n", l.number(), l.title(), state);
            }
            return ExitCode.OK.code();
        }

        private static String bar(int passed, int total) {
            int filled = total == 0 ? 0 : Math.round(20f * passed / total);
            return "[" + "#".repeat(filled) + ".".repeat(20 - filled) + "]";
        }
    }

    @Command(name = "server", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = {"Starts your server of a lesson on a document root, to try with curl or a browser.",
                    "It prints 'Listening on http://127.0.0.1:PORT/' when ready; Ctrl-C stops it.",
                    "Flash's optimizations can be switched off one by one, as on ./flashlab server: --no-path-cache,",
                    "--no-header-cache, --no-mapped-cache, --no-gather, --no-zero-copy, --no-optimizations (lesson 05)."})
    static final class Serve implements Callable<Integer> {
        @Parameters(paramLabel = "LESSON", description = "The lesson: 0, 00, 00-http or http.")
        String name;

        @Option(names = "--sim-disk-cache-mb", paramLabel = "MB",
                description = "Serve through the kit's emulated disk: a page cache of this size (lesson 04).")
        Long simDiskCacheMb;

        @Option(names = "--sim-disk-miss-ms", paramLabel = "MS",
                description = "With --sim-disk-cache-mb: what one missed 64 KB block costs (default: 5).")
        Double simDiskMissMillis;

        @Option(names = "--sim-disk-gate", paramLabel = "FILE",
                description = "With --sim-disk-cache-mb: while FILE exists, every miss waits there (hold a read by hand).")
        Path simDiskGate;

        @Option(names = "--no-path-cache", hidden = true) boolean noPathCache;
        @Option(names = "--no-header-cache", hidden = true) boolean noHeaderCache;
        @Option(names = "--no-mapped-cache", hidden = true) boolean noMappedCache;
        @Option(names = "--no-gather", hidden = true) boolean noGather;
        @Option(names = "--no-zero-copy", hidden = true) boolean noZeroCopy;
        @Option(names = "--no-optimizations", hidden = true) boolean noOptimizations;

        /** The optimizations switched off and the emulated disk, as ServeLesson takes them. */
        private List<String> switches() {
            List<String> off = new ArrayList<>();
            if (noPathCache) off.add("--no-path-cache");
            if (noHeaderCache) off.add("--no-header-cache");
            if (noMappedCache) off.add("--no-mapped-cache");
            if (noGather) off.add("--no-gather");
            if (noZeroCopy) off.add("--no-zero-copy");
            if (noOptimizations) off.add("--no-optimizations");
            if (simDiskCacheMb != null) {
                off.addAll(List.of("--sim-disk-cache-mb", Long.toString(simDiskCacheMb)));
            }
            if (simDiskMissMillis != null) {
                off.addAll(List.of("--sim-disk-miss-ms", Double.toString(simDiskMissMillis)));
            }
            if (simDiskGate != null) {
                off.addAll(List.of("--sim-disk-gate", simDiskGate.toAbsolutePath().toString()));
            }
            return off;
        }

        @Option(names = "--docroot", paramLabel = "DIR", description = "The directory to serve (default: the kit's sample site).")
        Path docroot;

        @Option(names = "--port", defaultValue = "8080", paramLabel = "N", description = "The port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--class", paramLabel = "CLASS",
                description = "Another server class of the lesson to run (say, org.flashlab.lesson00.handwritten.HandServer); "
                        + "its constructor takes a ServerConfig. Default: the lesson's server.")
        String serverClass;

        @Option(names = "--idle-timeout", defaultValue = "15", paramLabel = "S",
                description = "Seconds an idle connection is kept open (default: ${DEFAULT-VALUE}).")
        long idleSeconds;

        @Option(names = "--selector", defaultValue = "epoll", paramLabel = "KIND",
                description = "The selector an event-driven server gets: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Selector selector;

        @Option(names = "--solution", description = "Run the solution instead of your code (instructors).")
        boolean solution;

        @Override
        public Integer call() throws Exception {
            Lesson l = lesson(name, solution);
            Path root = docroot != null ? docroot : kit().resolve("server/sample-site");
            String cls = serverClass != null ? serverClass : server(l);
            List<String> args = new ArrayList<>(List.of(cls, "--docroot", root.toAbsolutePath().toString(),
                    "--port", Integer.toString(port), "--idle-timeout", Long.toString(idleSeconds)));
            args.addAll(switches());
            List<String> command = java(l, solution, selector, ServeLesson.class.getName(), args);
            System.err.println("flashlab: lesson " + l.name() + ": " + cls + " on " + root);
            Process p = new ProcessBuilder(command).inheritIO().start();
            // Ctrl-C reaches both JVMs; a SIGTERM (a service manager, a test) reaches only this one.
            Thread stopChild = new Thread(() -> {
                p.destroy();
                try {
                    p.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "stop-lesson-server");
            Runtime.getRuntime().addShutdownHook(stopChild);
            return p.waitFor();
        }
    }

    @Command(name = "measure", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = {"Measures your server of a lesson against the reference model of the same architecture,",
                    "taking turns (yours, the reference, yours, ...), and prints the ratio of their throughputs",
                    "with a 95% confidence interval."})
    static final class Measure implements Callable<Integer> {
        @Parameters(paramLabel = "LESSON", description = "The lesson: 0, 00, 00-http or http.")
        String name;

        @Option(names = "--repeat", defaultValue = "5", paramLabel = "N", description = "Runs of each server (default: ${DEFAULT-VALUE}).")
        int repeat;

        @Option(names = {"-d", "--duration"}, defaultValue = "5", paramLabel = "S", description = "Seconds per run (default: ${DEFAULT-VALUE}).")
        double duration;

        @Option(names = {"-c", "--connections"}, defaultValue = "20", paramLabel = "N", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
        int connections;

        @Option(names = "--size", defaultValue = "10240", paramLabel = "BYTES", description = "The size of the one file requested (default: ${DEFAULT-VALUE}).")
        long size;

        @Option(names = "--keep-alive", description = {"Keep connections open between requests (default: a new connection per request, as in the paper's Figure 7).",
                "An iterative or MP server serves one kept-alive connection per process at a time, so most clients time out: try it from lesson 02 on."})
        boolean keepAlive;

        @Option(names = "--selector", defaultValue = "epoll", paramLabel = "KIND",
                description = "The selector your server gets (the reference's always uses the default): ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Selector selector;

        @Option(names = "--solution", description = "Measure the solution instead of your code (instructors).")
        boolean solution;

        @Override
        public Integer call() throws Exception {
            if (repeat < 2 || duration <= 0 || connections < 1 || size < 0) {
                throw Cli.usage("--repeat must be at least 2 (one run has no interval), the duration positive, -c at least 1");
            }
            Lesson l = lesson(name, solution);
            PrintStream out = System.out;
            List<String> yours = java(l, solution, selector, ServeLesson.class.getName(), List.of(server(l),
                    "--docroot", "{docroot}", "--port", "{port}"));
            Runner.ServerCommand student = new Runner.ServerCommand((solution ? "solution " : "your ") + l.name(), yours);
            Runner.ServerCommand reference;
            try {
                reference = new Runner.ServerCommand("reference " + l.reference(),
                        ReferenceServer.command(l.reference(), List.of("--port", "{port}", "--docroot", "{docroot}")));
            } catch (IllegalStateException e) {
                throw Cli.failure(e.getMessage());
            }
            Pinning pinning = Pinning.byDefault();
            pinning.pinThisProcess();
            out.printf(Locale.ROOT, "flashlab lesson measure: %s against %s; one %d-byte file, %d clients, %s, "
                            + "%s s per run, %d runs each, taking turns; %s%n", student.label(), reference.label(),
                    size, connections, keepAlive ? "keep-alive" : "a new connection per request",
                    trim(duration), repeat, pinning.describe());
            Comparison c = Comparison.run(student, reference, new Comparison.Workload(connections, size, keepAlive,
                    duration, repeat), pinning, out);
            out.println();
            out.println(student.label() + ": " + Stats.of(c.ours()).format("%.0f req/s"));
            out.println(reference.label() + ": " + Stats.of(c.theirs()).format("%.0f req/s"));
            c.failures().forEach(f -> out.println("  " + f));
            if (c.ratios().length < 2) {
                out.println("ratio: not enough good pairs of runs to compare (" + c.ratios().length + ")");
                return ExitCode.FAILED.code();
            }
            Stats ratio = c.ratio();
            out.printf(Locale.ROOT, "ratio (yours / reference, per pair of runs): %.2f, 95%% CI [%.2f, %.2f], n=%d%n",
                    ratio.mean(), ratio.low(), ratio.high(), ratio.n());
            out.println(ratio.low() > 1 ? "yours is faster, beyond the noise"
                    : ratio.high() < 1 ? "the reference is faster, beyond the noise"
                    : "the interval holds 1: on this machine the two cannot be told apart");
            return c.failures().isEmpty() ? ExitCode.OK.code() : ExitCode.FAILED.code();
        }

        private static String trim(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = {"Rewrites the lessons' starter code from the solutions (instructors).",
                    "With --check, changes nothing and exits with 1 when a starter is out of date."})
    static final class Generate implements Callable<Integer> {
        @Option(names = "--check", description = "Only report starters that differ from what the solutions generate.")
        boolean check;

        @Override
        public Integer call() throws IOException {
            boolean clean = true;
            for (Lesson l : Lesson.all(kit())) {
                if (!l.hasSolution()) {
                    continue;
                }
                Path from = l.solution().resolve("src/main/java");
                Path to = l.dir().resolve("src/main/java");
                List<String> lines = check ? StarterGenerator.differences(from, to) : StarterGenerator.write(from, to);
                clean &= lines.isEmpty();
                System.out.println(l.name() + ": " + (lines.isEmpty() ? "up to date" : String.join("\n  ", lines)));
            }
            return check && !clean ? ExitCode.FAILED.code() : ExitCode.OK.code();
        }
    }

    @Command(name = "mutation-report", hidden = true, mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = "Prints the PIT mutation scores of every solution (./flashlab mutation runs PIT first).")
    static final class MutationReport implements Callable<Integer> {
        @Parameters(paramLabel = "LESSON", arity = "0..*", description = "The lessons (default: all).")
        List<String> names = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            List<Lesson> lessons = names.isEmpty() ? Lesson.all(kit())
                    : names.stream().map(n -> lesson(n, true)).toList();
            return MutationScores.print(lessons, System.out) ? ExitCode.OK.code() : ExitCode.FAILED.code();
        }
    }

    @Command(name = "progress", hidden = true, mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = {"Runs every lesson's tests against your code and prints how far each lesson is.",
                    "Unfinished lessons are progress, not failure: it exits with 0 unless a lesson could not be run."})
    static final class Progress implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            PrintStream out = System.out;
            List<String> lines = new ArrayList<>();
            boolean broken = false;
            for (Lesson l : Lesson.all(kit())) {
                java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
                try (PrintStream quiet = new PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8)) {
                    LessonTestMain.Report r = LessonTests.run(l, false, quiet);
                    int total = r.passed() + r.failed();
                    lines.add(String.format(Locale.ROOT, "  %s  %-36s %3d of %3d tests pass%s", l.number(), l.title(),
                            r.passed(), total, r.failed() == 0 && r.passed() > 0 ? "  done" : ""));
                } catch (IllegalStateException | IOException e) {
                    broken = true;
                    lines.add("  " + l.number() + "  " + l.title() + ": could not run its tests: " + e.getMessage());
                    out.print(log.toString(java.nio.charset.StandardCharsets.UTF_8)); // the run's own words
                }
            }
            out.println("flashlab: your progress in the lessons (./flashlab lesson test N shows what each failing test expects):");
            lines.forEach(out::println);
            return broken ? ExitCode.FAILED.code() : ExitCode.OK.code();
        }
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new LessonCommand(), args));
    }
}
