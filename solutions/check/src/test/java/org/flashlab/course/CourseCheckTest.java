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
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.flashlab.grader.lessons.Lesson;
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
                DynamicTest.dynamicTest("every provided test class fails at least one test on the starter", () -> starterFails(l)))));
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

    private static void starterFails(Lesson l) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        LessonTestMain.Report report;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            report = LessonTests.run(l, false, out);
        }
        String log = output.toString(StandardCharsets.UTF_8);
        Map<String, LessonTestMain.ClassResult> byClass = new TreeMap<>();
        report.classes().forEach(c -> byClass.put(c.name(), c));
        for (String cls : testClasses(l)) {
            LessonTestMain.ClassResult c = byClass.get(cls);
            assertThat(c).as("%s ran on the starter; the run's output:%n%s", cls, log).isNotNull();
            assertThat(c.failed()).as("tests of %s that fail on the starter (a class the starter passes tests "
                    + "nothing the student writes); the run's output:%n%s", cls, log).isPositive();
        }
    }
}
