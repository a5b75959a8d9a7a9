package org.flashlab.grader.grading;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.flashlab.grader.ReferenceServer;
import org.flashlab.grader.lessons.Comparison;
import org.flashlab.grader.lessons.Lesson;
import org.flashlab.grader.lessons.LessonCommand;
import org.flashlab.grader.lessons.LessonTestMain;
import org.flashlab.grader.lessons.LessonTests;
import org.flashlab.grader.run.Pinning;
import org.flashlab.grader.run.Runner;
import org.flashlab.grader.run.Stats;

/**
 * Grades one submission for one lesson, step by step, each step bounded in time and each leaving no
 * process behind: build the submission in a workspace of its own, check its integrity, run the
 * lesson's provided and hidden tests (then the earlier lessons'), collect its answers, probe its
 * running server, and measure it against the reference. A step that fails is a verdict, never the end:
 * the later steps still run where they can, and the grade and its report are always written.
 */
public final class Grader {
    /** A bound on each test: a hung test fails, and the others still run. */
    static final String TEST_TIMEOUT = "180s";
    /** The file, in a lesson's folder, that lists the tests that pass on the starter as shipped. */
    public static final String STARTER_PASSES = "starter-passes.txt";

    /** What to run. */
    public record Options(boolean earlier, boolean performance, boolean installKit) {}

    private final Path kit;
    private final PrintStream out;

    public Grader(Path kit, PrintStream out) {
        this.kit = kit;
        this.out = out;
    }

    /** The rubric of a lesson, from the kit. */
    public static Rubric rubric(Lesson lesson) throws IOException {
        Path file = lesson.dir().resolve(Rubric.FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("lesson " + lesson.name() + " has no rubric: write " + file
                    + " (docs/instructors.md describes the format)");
        }
        return Rubric.load(file);
    }

    /** The tests that pass on the lesson's starter as shipped: they earn nothing. */
    public static Set<String> starterPasses(Lesson lesson) throws IOException {
        Path file = lesson.dir().resolve(STARTER_PASSES);
        Set<String> passes = new LinkedHashSet<>();
        if (Files.isRegularFile(file)) {
            Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .forEach(passes::add);
        }
        return passes;
    }

    /**
     * The hidden tests of a lesson, in the instructor's kit: solutions/NN-name/src/hidden/java, with
     * the checks they share (solutions/hidden/java). None in a student's copy of the kit.
     */
    public static List<Path> hiddenTests(Lesson lesson) {
        if (lesson.solution() == null || !Files.isDirectory(lesson.solution().resolve("src/hidden/java"))) {
            return List.of();
        }
        Path shared = lesson.solution().resolveSibling("hidden").resolve("java");
        return Files.isDirectory(shared) ? List.of(lesson.solution().resolve("src/hidden/java"), shared)
                : List.of(lesson.solution().resolve("src/hidden/java"));
    }

    /** Grades the submission and writes every output into {@code outDir}. */
    public Grade grade(Lesson lesson, Path submission, String name, Path outDir, Options options)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        Rubric rubric = rubric(lesson);
        Files.createDirectories(outDir);
        Path module = Workspace.locate(submission, lesson);
        Path work = outDir.resolve("work").resolve(lesson.name());
        List<Path> hidden = hiddenTests(lesson);
        boolean hasHidden = !hidden.isEmpty();
        step("lesson " + lesson.name() + " for " + name + (hasHidden ? "" : " (this copy of the kit has no hidden tests)"));

        if (options.installKit()) {
            installKit(lesson, outDir);
        }
        Sandbox sandbox = new Sandbox();
        Evidence.Build build;
        List<String> uses = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> modified = List.of();
        List<Evidence.TestCase> tests = new ArrayList<>();
        List<Evidence.Answer> answers = List.of();
        Evidence.Probe probe = Evidence.Probe.notRun(lesson.hasServer() ? "the submission did not compile" : "the lesson has no server");
        Evidence.Measurement perf = Evidence.Measurement.notRun(lesson.hasServer() ? "the server was not probed" : "the lesson has no server");
        // Each step's failure is evidence, and the grade is written whatever happens; the finally
        // leaves no process of the submission's running.
        try {
            step("building the submission in " + work);
            List<String> hiddenClasses = List.of();
            try {
                hiddenClasses = Workspace.prepare(module, lesson, hidden, work);
                build = Workspace.build(work, outDir.resolve("build.log"));
            } catch (IOException | RuntimeException e) {
                build = new Evidence.Build(false, "the submission could not be copied or built: " + e);
            }
            out.println("  " + (build.ok() ? "compiled" : "did not compile"));
            Lesson built = new Lesson(lesson.number(), lesson.title(), lesson.serverClass(), lesson.reference(), work, null,
                    lesson.emulatedDisk());

            step("integrity: the reference's classes, bundled jars, the provided tests");
            try {
                uses.addAll(Integrity.referenceUses(work.resolve("target/classes"), module));
                modified = Integrity.modifiedTests(lesson.dir().resolve("src/test"), module.resolve("src/test"));
                notes.addAll(Integrity.notes(module));
            } catch (IOException | RuntimeException e) {
                notes.add("the integrity checks could not run: " + e);
            }
            out.println("  " + (uses.isEmpty() ? "no use of the reference" : uses.size() + " uses of the reference")
                    + (modified.isEmpty() ? "" : "; " + modified.size() + " provided test files changed (the kit's were used)"));

            if (build.ok()) {
                step("the lesson's tests" + (hasHidden ? ", provided and hidden" : ""));
                tests.addAll(run(built, sandbox, Set.copyOf(hiddenClasses), Evidence.Origin.PROVIDED));
                if (options.earlier() && !module.equals(submission)) {
                    for (Lesson earlier : Lesson.upTo(kit, lesson)) {
                        if (earlier.equals(lesson) || !Files.isDirectory(Workspace.locateOrNull(submission, earlier))) {
                            continue;
                        }
                        step("lesson " + earlier.name() + "'s tests (regressions, not scored)");
                        tests.addAll(earlier(earlier, submission, outDir, sandbox));
                    }
                }
            }
            answers = Questions.collect(lesson.dir().resolve("README.md"), module.resolve(Questions.ANSWERS));

            if (lesson.hasServer() && build.ok() && !uses.isEmpty()) {
                probe = Evidence.Probe.notRun("the submission uses the reference implementation, so its server is not its own");
                perf = Evidence.Measurement.notRun("the submission uses the reference implementation");
            } else if (lesson.hasServer() && build.ok()) {
                step("probing the running server (" + Sandbox.limits() + ")");
                try {
                    List<String> command = LessonCommand.serveCommand(built, lesson.serverClass(), List.of());
                    probe = Probe.run(command, outDir.resolve("probe-site"), Probe.stallApplies(lesson.reference()), sandbox,
                            Probe.Timeouts.DEFAULT);
                } catch (RuntimeException e) {
                    probe = Evidence.Probe.notRun("the probe itself failed (a fault of the grader's, not the server's): " + e);
                }
                out.println("  " + probe.verdict().words + (probe.detail().isBlank() ? "" : ": " + probe.detail().lines().findFirst().orElse("")));
                if (rubric.performance() == null) {
                    perf = Evidence.Measurement.notRun("the rubric has no performance item");
                } else if (!options.performance()) {
                    perf = Evidence.Measurement.notRun("performance was not measured (--no-performance)");
                } else if (probe.verdict() != Evidence.Verdict.OK) {
                    perf = Evidence.Measurement.notRun("the server " + probe.verdict().words + " in the probe");
                } else {
                    step("measuring it against the reference " + lesson.reference());
                    try {
                        perf = measure(built, lesson, rubric.performance(), sandbox);
                    } catch (IOException | RuntimeException e) {
                        perf = Evidence.Measurement.notRun("the measurement failed: " + e);
                    }
                }
            }
        } finally {
            List<String> left = sandbox.killAll();
            if (!left.isEmpty()) {
                out.println("  killed " + left.size() + " processes the submission left running: " + left);
            }
        }
        Evidence.Integrity integrity = new Evidence.Integrity(uses, modified, notes);
        double seconds = (System.nanoTime() - started) / 1e9;
        Evidence evidence = new Evidence(lesson.name(), name, Math.round(seconds * 10) / 10.0, build, tests, integrity,
                probe, perf, answers);
        Grade grade = Grade.of(rubric, evidence, starterPasses(lesson));
        Outputs.write(grade, outDir);
        out.printf(Locale.ROOT, "flashlab grade: %s, lesson %s: %s of %s points (%s more to mark by hand); report: %s%n",
                name, lesson.name(), Outputs.num(grade.score()), Outputs.num(grade.autoMax()), Outputs.num(grade.manualMax()),
                outDir.resolve(Outputs.HTML));
        return grade;
    }

    /**
     * Puts the kit's modules into the local Maven repository, for the submissions' offline builds.
     *
     * @throws IOException when the kit itself does not build: then nothing can be graded
     */
    public void installKit(Lesson lesson, Path outDir) throws IOException, InterruptedException {
        step("installing the kit's modules into the local Maven repository");
        Files.createDirectories(outDir);
        Evidence.Build kitBuild = Workspace.installKit(kit, lesson, outDir.resolve("kit-build.log"));
        if (!kitBuild.ok()) {
            throw new IOException("the kit itself did not build, so nothing can be graded:\n" + kitBuild.detail());
        }
    }

    /** Applies the rubric again to saved evidence, and writes the outputs. */
    public static Grade regrade(Lesson lesson, Evidence evidence, Path outDir) throws IOException {
        Grade grade = Grade.of(rubric(lesson), evidence, starterPasses(lesson));
        Outputs.write(grade, outDir);
        return grade;
    }

    private List<Evidence.TestCase> earlier(Lesson earlier, Path submission, Path outDir, Sandbox sandbox)
            throws IOException, InterruptedException {
        Path work = outDir.resolve("work").resolve(earlier.name());
        Workspace.prepare(Workspace.locate(submission, earlier), earlier, List.of(), work);
        Evidence.Build b = Workspace.build(work, outDir.resolve("build-" + earlier.name() + ".log"));
        if (!b.ok()) {
            return List.of(new Evidence.TestCase(Evidence.Origin.EARLIER, earlier.name(), Evidence.RUN_FAILED, "compiles",
                    Evidence.Outcome.FAILED, b.detail()));
        }
        Lesson built = new Lesson(earlier.number(), earlier.title(), earlier.serverClass(), earlier.reference(), work, null,
                earlier.emulatedDisk());
        return run(built, sandbox, Set.of(), Evidence.Origin.EARLIER);
    }

    /** Runs a built lesson's tests in a JVM of their own, each test bounded, and kills what they leave. */
    private List<Evidence.TestCase> run(Lesson built, Sandbox sandbox, Set<String> hidden, Evidence.Origin origin)
            throws IOException, InterruptedException {
        LessonTestMain.Report report;
        try {
            report = LessonTests.run(built, false, out, Map.of(Sandbox.VARIABLE, sandbox.tag()),
                    List.of("-Djunit.jupiter.execution.timeout.default=" + TEST_TIMEOUT,
                            "-Djunit.jupiter.execution.timeout.thread.mode.default=SEPARATE_THREAD"));
        } catch (IOException | RuntimeException e) {
            sandbox.killAll();
            return List.of(new Evidence.TestCase(origin, built.name(), Evidence.RUN_FAILED, "run", Evidence.Outcome.FAILED,
                    e.getMessage()));
        }
        sandbox.killAll();
        return cases(report, built.name(), hidden, origin);
    }

    /** A test run's report as test cases. */
    public static List<Evidence.TestCase> cases(LessonTestMain.Report report, String lesson, Set<String> hidden,
                                                Evidence.Origin origin) {
        List<Evidence.TestCase> cases = new ArrayList<>();
        for (LessonTestMain.ClassResult c : report.classes()) {
            Evidence.Origin o = hidden.contains(c.name()) ? Evidence.Origin.HIDDEN : origin;
            c.passedTests().forEach(t -> cases.add(new Evidence.TestCase(o, lesson, c.name(), t, Evidence.Outcome.PASSED, "")));
            c.failures().forEach(f -> cases.add(new Evidence.TestCase(o, lesson, c.name(), f.test(), Evidence.Outcome.FAILED,
                    f.message())));
            c.skippedTests().forEach(s -> cases.add(new Evidence.TestCase(o, lesson, c.name(), s.test(), Evidence.Outcome.SKIPPED,
                    s.message())));
        }
        return cases;
    }

    private Evidence.Measurement measure(Lesson built, Lesson lesson, Rubric.Performance p, Sandbox sandbox)
            throws IOException, InterruptedException {
        List<String> studentCommand = sandbox.wrap(LessonCommand.serveCommand(built, lesson.serverClass(), p.options()));
        List<String> args = new ArrayList<>(List.of("--port", "{port}", "--docroot", "{docroot}"));
        args.addAll(p.options());
        List<String> referenceCommand;
        try {
            referenceCommand = ReferenceServer.command(lesson.reference(), args);
        } catch (RuntimeException e) {
            return Evidence.Measurement.notRun(e.getMessage());
        }
        Pinning pinning = Pinning.byDefault();
        Comparison c;
        try {
            c = Comparison.run(new Runner.ServerCommand("submission", studentCommand),
                    new Runner.ServerCommand("reference " + lesson.reference(), referenceCommand),
                    new Comparison.Workload(p.connections(), p.size(), p.keepAlive(), p.duration(), p.repeat()), pinning, out);
        } finally {
            sandbox.killAll();
        }
        if (c.ratios().length < 2) {
            return Evidence.Measurement.notRun("fewer than two good pairs of runs: " + String.join("; ", c.failures()));
        }
        Stats ratio = c.ratio();
        return new Evidence.Measurement(true, String.join("; ", c.failures()), lesson.reference(), ratio.mean(), ratio.low(),
                ratio.high(), ratio.n(), Stats.of(c.ours()).mean(), Stats.of(c.theirs()).mean());
    }

    private void step(String what) {
        out.println("flashlab grade: " + what);
    }
}
