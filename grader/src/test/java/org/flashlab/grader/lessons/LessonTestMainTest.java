package org.flashlab.grader.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.flashlab.grader.lessons.fixture.SampleChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LessonTestMainTest {

    /** Copies the fixture test classes into {@code dir}, as a lesson's target/test-classes. */
    static Path fixtureTests(Path dir) throws Exception {
        Path compiled = Path.of(SampleChecks.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path from = compiled.resolve("org/flashlab/grader/lessons/fixture");
        Path to = Files.createDirectories(dir.resolve("org/flashlab/grader/lessons/fixture"));
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(p -> p.toString().endsWith("Checks.class")).toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    @Test
    void reportsEveryOutcomeForAPerson(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LessonTestMain.Report report;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            report = LessonTestMain.run(fixtureTests(dir), "lesson 99-x", out);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("lesson 99-x: SampleChecks", "  ok    passes", "  FAIL  fails with a hint",
                "[the sum (hint: README, \"Task 1\")]", "UnsupportedOperationException: Task 2 is not done yet",
                "caused by IllegalStateException: inner", "  skip  does not apply here: only for event loops",
                "  ok    cases > 1", "  FAIL  cases > 2", "lesson 99-x: BrokenSetupChecks",
                "FAIL  BrokenSetupChecks (2 tests could not run)", "Task 1 is not done yet: Server.start")
                .doesNotContain("second line");
        LessonTestMain.ClassResult sample = report.classes().stream().filter(c -> c.name().endsWith("SampleChecks"))
                .findFirst().orElseThrow();
        assertThat(sample.passed()).isEqualTo(2);
        assertThat(sample.failed()).isEqualTo(3);
        assertThat(sample.skipped()).isEqualTo(2);
        assertThat(sample.failures()).extracting(LessonTestMain.Failure::test)
                .containsExactlyInAnyOrder("fails with a hint", "throws a stub's exception", "cases > 2");
        LessonTestMain.ClassResult broken = report.classes().stream().filter(c -> c.name().endsWith("BrokenSetupChecks"))
                .findFirst().orElseThrow();
        assertThat(broken.failed()).isEqualTo(2);
        assertThat(report.passed()).isEqualTo(2);
        assertThat(report.failed()).isEqualTo(5);
        assertThat(text).contains("lesson 99-x: 2 passed, 5 failed, 2 skipped");
    }

    @Test
    void describesAnExceptionWithoutNoise() {
        assertThat(LessonTestMain.describe(new AssertionError("expected 1"))).isEqualTo("expected 1");
        assertThat(LessonTestMain.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
        assertThat(LessonTestMain.describe(new IOException("x", new IOException("y")))).isEqualTo("IOException: x\ncaused by IOException: y");
    }
}
