package org.flashlab.grader.grading;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.flashlab.cli.Cli;
import org.flashlab.grader.lessons.Lesson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grader end to end in this JVM, on lesson 00 (the quickest to build and test): a submission made
 * from the solution, with answers, an edited provided test and a stray jar, gets full marks on its
 * tests (hidden ones included), a clean probe, and every finding reported; one that does not compile
 * gets the compiler's words, and a grade all the same. Performance is left out here: it is measured
 * live by the end-to-end test of `grade`, and scored from recorded results by {@link GradeTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GraderTest {
    private static final Path KIT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    static Path dir; // shared: the third test grades again what the first saved

    private Lesson lesson;
    private String home;

    @BeforeAll
    void kit() {
        lesson = Lesson.find(KIT, "00");
        home = System.getProperty("flashlab.home");
        System.setProperty("flashlab.home", KIT.toString());
    }

    @AfterAll
    void restore() {
        if (home == null) {
            System.clearProperty("flashlab.home");
        } else {
            System.setProperty("flashlab.home", home);
        }
    }

    /**
     * A submission: the solution's module as a student would hand it in. A student's copy of the kit
     * has no solution: there it is the lesson's own module, the student's work so far.
     */
    private Path submission(String name) throws IOException {
        Path sub = dir.resolve(name);
        Workspace.copyTree(lesson.hasSolution() ? lesson.solution() : lesson.dir(), sub,
                rel -> !rel.startsWith("target") && !rel.startsWith("src/hidden"));
        Workspace.copyTree(lesson.dir().resolve("src/test"), sub.resolve("src/test"), rel -> true);
        Files.copy(lesson.dir().resolve("pom.xml"), sub.resolve("pom.xml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return sub;
    }

    @Test
    @Order(1)
    void aGoodSubmissionGetsItsTestsProbeAndFindingsRight() throws Exception {
        Path sub = submission("ada");
        Files.writeString(sub.resolve(Questions.ANSWERS), "## 1\nOne at a time.\n\n## Question 2\nBecause.\n");
        Path test = sub.resolve("src/test/java/org/flashlab/lesson00/IterativeServerTest.java");
        Files.writeString(test, Files.readString(test) + "\n// made easier\n");
        Files.createDirectories(sub.resolve("lib"));
        Files.write(sub.resolve("lib/helper.jar"), new byte[] {'P', 'K', 5, 6, 0, 0});

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Grade g;
        try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            g = new Grader(KIT, out).grade(lesson, sub, "ada", dir.resolve("out-ada"), new Grader.Options(false, false, true));
        }
        String output = log.toString(StandardCharsets.UTF_8);
        Evidence e = g.evidence();
        assertThat(e.build().ok()).as(output).isTrue();
        assertThat(e.tests()).as(output).isNotEmpty();
        for (String f : List.of(Outputs.HTML, Outputs.GRADESCOPE, Outputs.CLASSROOM, Outputs.JUNIT, Outputs.GRADE, Outputs.EVIDENCE)) {
            assertThat(dir.resolve("out-ada").resolve(f)).exists();
        }
        assertThat(e.integrity().modifiedTests()).containsExactly("changed: src/test/java/org/flashlab/lesson00/IterativeServerTest.java");
        assertThat(e.integrity().referenceUses()).isEmpty();
        assertThat(e.integrity().notes()).singleElement().asString().contains("lib/helper.jar");
        assertThat(e.answers()).anySatisfy(a -> {
            assertThat(a.number()).isEqualTo(2);
            assertThat(a.answer()).isEqualTo("Because.");
        });
        assertThat(g.items()).filteredOn(i -> i.id().equals("performance")).singleElement()
                .satisfies(i -> assertThat(i.reason()).contains("not measured"));
        if (!lesson.hasSolution()) {
            return; // a student's copy: the lesson is theirs, finished or not; the rest needs the solution
        }
        assertThat(e.tests()).noneMatch(t -> t.outcome() == Evidence.Outcome.FAILED)
                .anyMatch(t -> t.origin() == Evidence.Origin.HIDDEN);
        assertThat(e.probe().verdict()).as(e.probe().detail()).isEqualTo(Evidence.Verdict.OK);
        assertThat(g.items().stream().filter(i -> i.id().equals("performance")).findFirst().orElseThrow().reason())
                .contains("--no-performance");
        assertThat(g.items()).filteredOn(i -> i.kind() == Grade.Kind.TESTS || i.kind() == Grade.Kind.CONFORMANCE
                || i.kind() == Grade.Kind.ROBUSTNESS).allSatisfy(i -> assertThat(i.score()).as(i.reason()).isEqualTo(i.max()));
    }

    @Test
    @Order(2)
    void aSubmissionThatDoesNotCompileIsGradedWithTheCompilersWords() throws Exception {
        Path sub = submission("bo");
        Path server = sub.resolve("src/main/java/org/flashlab/lesson00/IterativeServer.java");
        Files.writeString(server, Files.readString(server) + "\nthis is not java;\n");
        Grade g = new Grader(KIT, new PrintStream(PrintStream.nullOutputStream()))
                .grade(lesson, sub, "bo", dir.resolve("out-bo"), new Grader.Options(false, false, false));
        assertThat(g.evidence().build().ok()).isFalse();
        assertThat(g.score()).isZero();
        assertThat(g.items().getFirst().reason()).contains("did not compile").contains("IterativeServer.java");
        assertThat(g.evidence().probe().verdict()).isEqualTo(Evidence.Verdict.NOT_RUN);
        assertThat(dir.resolve("out-bo").resolve(Outputs.HTML)).exists();
    }

    @Test
    @Order(3)
    void savedEvidenceIsGradedAgainWithoutRunningAnything() throws Exception {
        Path evidence = dir.resolve("out-ada").resolve(Outputs.EVIDENCE);
        assertThat(Cli.execute(new GradeCommand(), "--lesson", "00", "--evidence", evidence.toString(), "--out",
                dir.resolve("again").toString())).isZero();
        assertThat(Files.readString(dir.resolve("again").resolve(Outputs.GRADE)))
                .isEqualTo(Files.readString(dir.resolve("out-ada").resolve(Outputs.GRADE)));
    }

    @Test
    void mistakesInTheCommandLineAreUsageErrors() {
        assertThat(Cli.execute(new GradeCommand(), "--lesson", "99", "--submission", dir.toString())).isEqualTo(2);
        assertThat(Cli.execute(new GradeCommand(), "--lesson", "00")).isEqualTo(2);
        assertThat(Cli.execute(new GradeCommand(), "--lesson", "00", "--submission", dir.resolve("none").toString())).isEqualTo(2);
        assertThat(Cli.execute(new GradeCommand(), "--lesson", "00", "--submission", dir.toString()))
                .as("a folder with no lesson 00 in it").isEqualTo(2);
        assertThat(Cli.execute(new GradeCommand(), "--lesson", "00", "--evidence", dir.resolve("none.json").toString())).isEqualTo(2);
    }
}
