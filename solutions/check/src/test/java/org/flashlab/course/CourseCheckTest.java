package org.flashlab.course;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.flashlab.grader.grading.Evidence;
import org.flashlab.grader.grading.Grade;
import org.flashlab.grader.grading.Grader;
import org.flashlab.grader.grading.Integrity;
import org.flashlab.grader.grading.Probe;
import org.flashlab.grader.grading.Rubric;
import org.flashlab.grader.grading.Sandbox;
import org.flashlab.grader.lessons.Lesson;
import org.flashlab.grader.lessons.LessonCommand;
import org.flashlab.grader.lessons.LessonTestMain;
import org.flashlab.grader.lessons.LessonTests;
import org.flashlab.grader.lessons.StarterGenerator;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * For every lesson: its starter is what its solution generates, every provided test passes on the
 * solution, and every provided test class fails at least one test on the starter (so that no test
 * class is one a student passes without doing its task).
 */
class CourseCheckTest {
    private static final Path KIT = Path.of("../..").toAbsolutePath().normalize();
    private static final Pattern COUNTS = Pattern.compile(
            "<testsuite [^>]*?name=\"([^\"]+)\"[^>]*?tests=\"(\\d+)\"[^>]*?errors=\"(\\d+)\"[^>]*?skipped=\"(\\d+)\"[^>]*?failures=\"(\\d+)\"");

    @TestFactory
    Stream<DynamicContainer> everyLesson() {
        List<Lesson> lessons = Lesson.all(KIT);
        assertThat(lessons).as("lessons under " + KIT.resolve("lessons")).isNotEmpty();
        return lessons.stream().map(l -> DynamicContainer.dynamicContainer(l.name(), Stream.of(
                DynamicTest.dynamicTest("the committed starter is what the solution generates", () -> starterIsGenerated(l)),
                DynamicTest.dynamicTest("every provided test passes on the solution", () -> solutionPasses(l)),
                DynamicTest.dynamicTest("every provided test class fails at least one test on the starter", () -> starterFails(l)),
                DynamicTest.dynamicTest("graded, the solution scores full marks and the starter 0", () -> graded(l)))));
    }

    private static void starterIsGenerated(Lesson l) {
        assertThat(l.hasSolution()).as(l.name() + " has a solution").isTrue();
        assertThat(StarterGenerator.differences(l.solution().resolve("src/main/java"), l.dir().resolve("src/main/java")))
                .as("differences between lessons/%s and what solutions/%s generates; run ./flashlab lesson generate",
                        l.name(), l.name())
                .isEmpty();
        if (!Files.isDirectory(l.dir().resolve("src/main/java"))) {
            return; // a lesson whose work is not code (06): nothing to generate, and nothing was
        }
        try (Stream<Path> files = Files.walk(l.dir().resolve("src/main/java"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as("a starter file shows no marker: " + f)
                        .doesNotContain("BEGIN SOLUTION").doesNotContain("END SOLUTION");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The lesson's test classes, from its compiled tests: top-level classes whose names end in Test. */
    private static List<String> testClasses(Lesson l) throws IOException {
        Path root = l.testClasses();
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(p -> root.relativize(p).toString())
                    .filter(n -> n.endsWith("Test.class") && !n.contains("$"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .sorted().toList();
        }
    }

    /** Reads the solution module's surefire reports: class -> {tests, failed (errors + failures), skipped}. */
    private static void solutionPasses(Lesson l) throws IOException {
        Path reports = l.solution().resolve("target/surefire-reports");
        Map<String, int[]> byClass = new TreeMap<>();
        if (Files.isDirectory(reports)) {
            try (Stream<Path> files = Files.list(reports)) {
                for (Path f : files.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).toList()) {
                    Matcher m = COUNTS.matcher(Files.readString(f, StandardCharsets.UTF_8));
                    if (m.find()) {
                        byClass.put(m.group(1), new int[] {Integer.parseInt(m.group(2)),
                                Integer.parseInt(m.group(3)) + Integer.parseInt(m.group(5)), Integer.parseInt(m.group(4))});
                    }
                }
            }
        }
        for (String cls : testClasses(l)) {
            int[] c = byClass.get(cls);
            assertThat(c).as("solutions/%s ran %s (its surefire report)", l.name(), cls).isNotNull();
            assertThat(c[0]).as("tests of %s run on the solution", cls).isPositive();
            assertThat(c[1]).as("tests of %s that failed on the solution", cls).isZero();
        }
    }

    /** The starters' test runs, by lesson: grading reuses them rather than run the starters twice. */
    private static final Map<String, LessonTestMain.Report> STARTER_RUNS = new java.util.concurrent.ConcurrentHashMap<>();

    private static void starterFails(Lesson l) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        LessonTestMain.Report report;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            report = LessonTests.run(l, false, out);
        }
        String log = output.toString(StandardCharsets.UTF_8);
        STARTER_RUNS.put(l.name(), report);
        Map<String, LessonTestMain.ClassResult> byClass = new TreeMap<>();
        report.classes().forEach(c -> byClass.put(c.name(), c));
        for (String cls : testClasses(l)) {
            LessonTestMain.ClassResult c = byClass.get(cls);
            assertThat(c).as("%s ran on the starter; the run's output:%n%s", cls, log).isNotNull();
            assertThat(c.failed()).as("tests of %s that fail on the starter (a class the starter passes tests "
                    + "nothing the student writes); the run's output:%n%s", cls, log).isPositive();
        }
    }

    /**
     * The lesson's rubric applied to the solution and to the starter: their tests' recorded results
     * (the solution's surefire reports, hidden tests included; the starter's run above), a live probe
     * of each one's server, and a recorded performance ratio of 1, since no test may judge speed. The
     * solution gets every point; the starter none of the implementation points, each with a reason a
     * student can act on. The starter's passing tests are exactly those starter-passes.txt lists.
     */
    private static void graded(Lesson l) throws Exception {
        Rubric rubric = Grader.rubric(l);
        Set<String> free = Grader.starterPasses(l);
        LessonTestMain.Report starterRun = STARTER_RUNS.get(l.name());
        assertThat(starterRun).as("the starter's run (the test before this one)").isNotNull();
        List<Evidence.TestCase> starterTests = Grader.cases(starterRun, l.name(), Set.of(), Evidence.Origin.PROVIDED);
        List<String> passing = starterTests.stream().filter(t -> t.outcome() == Evidence.Outcome.PASSED)
                .map(Evidence.TestCase::key).sorted().toList();
        assertThat(passing)
                .as("the tests that pass on lessons/%s's starter: lessons/%s/%s must list exactly these", l.name(), l.name(),
                        Grader.STARTER_PASSES)
                .containsExactlyInAnyOrderElementsOf(free);

        Evidence.Measurement parity = new Evidence.Measurement(true, "recorded", l.reference(), 1.0, 0.95, 1.05, 3, 1000, 1000);
        Evidence solution = new Evidence(l.name(), "solution", 0, new Evidence.Build(true, ""), surefireCases(l),
                new Evidence.Integrity(Integrity.referenceUses(l.classes(true), l.solution()), List.of()),
                probe(l, true), l.hasServer() ? parity : null, List.of());
        Grade g = Grade.of(rubric, solution, free);
        assertThat(g.items()).as("solutions/%s's grade", l.name()).filteredOn(i -> i.kind().implementation())
                .allSatisfy(i -> assertThat(i.score()).as("%s: %s %s", i.name(), i.reason(), i.output()).isEqualTo(i.max()));
        assertThat(g.score()).isEqualTo(g.autoMax()).isEqualTo(rubric.total() - (rubric.manual() == null ? 0 : rubric.manual().points()));

        Evidence starter = new Evidence(l.name(), "starter", 0, new Evidence.Build(true, ""), starterTests, null,
                probe(l, false), l.hasServer() ? Evidence.Measurement.notRun("the server was not probed") : null, List.of());
        Grade s = Grade.of(rubric, starter, free);
        assertThat(s.implementationScore()).as("lessons/%s's starter, graded: %s", l.name(), s.items()).isZero();
        for (Grade.Item i : s.items()) {
            if (!i.kind().implementation()) {
                continue;
            }
            assertThat(i.reason()).as("why %s scores nothing", i.name()).isNotBlank();
            if (i.kind() == Grade.Kind.TESTS && i.visibility().equals("visible")) {
                assertThat(i.output()).as("the failed tests of %s, with what each expected", i.name()).contains(" > ");
            }
        }
    }

    /** A live probe of the lesson's server (the solution's or the starter's); none for a lesson without one. */
    private static Evidence.Probe probe(Lesson l, boolean solution) throws IOException {
        if (!l.hasServer()) {
            return null;
        }
        Lesson built = solution ? new Lesson(l.number(), l.title(), l.serverClass(), l.reference(), l.solution(), null,
                l.emulatedDisk()) : l;
        Sandbox sandbox = new Sandbox();
        Path site = Files.createTempDirectory("flashlab-probe-");
        try {
            Evidence.Probe p = Probe.run(LessonCommand.serveCommand(built, l.serverClass(), List.of()), site,
                    Probe.stallApplies(l.reference()), sandbox, Probe.Timeouts.DEFAULT);
            if (solution) {
                assertThat(p.verdict()).as("the probe of solutions/%s: %s", l.name(), p.detail()).isEqualTo(Evidence.Verdict.OK);
            } else {
                assertThat(p.verdict()).as("the probe of the starter of %s", l.name()).isNotEqualTo(Evidence.Verdict.OK);
                assertThat(p.detail()).as("what the probe of lessons/%s's starter says", l.name()).isNotBlank();
            }
            return p;
        } finally {
            assertThat(sandbox.killAll()).as("processes the probe left").isEmpty();
            try (Stream<Path> files = Files.walk(site)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static final Pattern CASE = Pattern.compile("<testcase name=\"([^\"]*)\" classname=\"([^\"]*)\"[^>]*?(/>|>(.*?)</testcase>)",
            Pattern.DOTALL);

    /** The solution module's surefire reports, test by test; its hidden tests among them. */
    private static List<Evidence.TestCase> surefireCases(Lesson l) throws IOException {
        List<Evidence.TestCase> cases = new java.util.ArrayList<>();
        Path reports = l.solution().resolve("target/surefire-reports");
        try (Stream<Path> files = Files.list(reports)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList()) {
                Matcher m = CASE.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    String body = m.group(4) == null ? "" : m.group(4);
                    Evidence.Outcome o = body.contains("<failure") || body.contains("<error") ? Evidence.Outcome.FAILED
                            : body.contains("<skipped") ? Evidence.Outcome.SKIPPED : Evidence.Outcome.PASSED;
                    Evidence.Origin origin = m.group(2).contains("Hidden") ? Evidence.Origin.HIDDEN : Evidence.Origin.PROVIDED;
                    cases.add(new Evidence.TestCase(origin, l.name(), m.group(2), m.group(1), o, ""));
                }
            }
        }
        assertThat(cases).as("test cases in %s", reports).isNotEmpty();
        return cases;
    }
}
