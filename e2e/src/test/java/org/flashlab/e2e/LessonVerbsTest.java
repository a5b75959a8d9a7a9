package org.flashlab.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flashlab.e2e.Support.QUICK;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.flashlab.contract.ServerProcess;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The student's verbs, on a fresh copy: its lessons are the committed starters, so their tests fail
 * until a student does the work; the solutions stand in for a student who has.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LessonVerbsTest {
    private final FreshCopy copy = FreshCopy.get();

    @Test
    @Order(1)
    @Verb("lesson")
    void aStartersTestsFailWithTheirHints() {
        FreshCopy.Result r = copy.flashlab(Duration.ofMinutes(5), "lesson", "test", "00", "--only");
        assertThat(r.exit()).as(r.describe()).isEqualTo(1);
        assertThat(r.stdout()).as(r.describe())
                .contains("lesson 00-http: HandParserTest")
                .contains("FAIL  ")
                .contains("Task 2 is not done yet: HandParser.read (README, \"Task 2\")")
                .containsPattern("FAIL  00-http +\\d+ of +\\d+ tests pass")
                .contains("lessons/00-http/README.md");
    }

    @Test
    @Order(2)
    @Verb("lessons")
    void theListShowsTheProgressOfTheLastRun() {
        FreshCopy.Result r = copy.flashlab(QUICK, "lessons");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).as(r.describe())
                .containsPattern("00  HTTP and the iterative server +\\d+ of +\\d+ tests pass")
                .containsPattern("03  Event-driven \\(SPED\\) +not tested yet: ./flashlab lesson test 03");
    }

    @Test
    @Order(3)
    void aSolutionPassesItsLessonAndTheEarlierOnes() {
        Support.requireInstructorsKit(copy);
        FreshCopy.Result r = copy.flashlab(Duration.ofMinutes(10), "lesson", "test", "01", "--solution");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).as(r.describe())
                .containsPattern("ok    01-mp +(\\d+) of +\\1 tests pass")
                .containsPattern("ok    00-http +(\\d+) of +\\1 tests pass  \\(earlier lesson\\)");
    }

    @Test
    @Order(4)
    void aLessonsServerServes() throws Exception {
        Support.requireInstructorsKit(copy);
        ServerProcess server = Support.start(copy, "lesson", "server", "03", "--solution", "--port", "0");
        try {
            HttpResponse<String> page = Support.get(server.port(), "/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).containsIgnoringCase("<html");
            // SIGTERM to the launcher's JVM alone, as a service manager would send it: the server's
            // own JVM, its child, must go too.
            java.util.List<ProcessHandle> children = server.process().descendants().toList();
            assertThat(children).as("the lesson server's JVM").isNotEmpty();
            server.process().destroy();
            org.awaitility.Awaitility.await("the lesson server's JVM to exit with its launcher")
                    .atMost(Duration.ofSeconds(30)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
        } finally {
            server.close();
        }
    }

    @Test
    @Order(5)
    void measureComparesWithTheReference() {
        Support.requireInstructorsKit(copy);
        FreshCopy.Result r = copy.flashlab(Duration.ofMinutes(5), "lesson", "measure", "02", "--solution",
                "--repeat", "2", "-d", "1", "-c", "4");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).as(r.describe())
                .contains("solution 02-mt against reference mt-dynamic")
                .containsPattern("ratio \\(yours / reference, per pair of runs\\): \\d+\\.\\d\\d, 95% CI \\[-?\\d+\\.\\d\\d, \\d+\\.\\d\\d], n=2");
    }

    @Test
    void anUnknownLessonIsAUsageError() {
        FreshCopy.Result r = copy.flashlab(QUICK, "lesson", "test", "42");
        assertThat(r.exit()).as(r.describe()).isEqualTo(2);
        assertThat(r.stderr()).contains("no lesson '42'").contains("00-http").doesNotContain("Exception");
    }

    @Test
    @Verb("mutation")
    void mutationTestingPrintsAScorePerLesson() {
        Support.requireInstructorsKit(copy);
        // Narrowed to one small class, so that it takes seconds: the verb, not PIT, is under test.
        FreshCopy.Result r = copy.flashlab(Duration.ofMinutes(10), "mutation", "00",
                "-Dpit.classes=org.flashlab.lesson00.metrics.*", "-Dpit.tests=org.flashlab.lesson00.metrics.*");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).as(r.describe()).containsPattern("00-http +\\d+ +\\d+ +\\d+ +\\d+ +\\d+% +\\d+%");
        String report;
        try {
            report = java.nio.file.Files.readString(copy.root.resolve("solutions/00-http/target/pit-reports/mutations.xml"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(report).as("the mutants of a run narrowed to the metrics package").contains("lesson00.metrics.Latencies")
                .doesNotContain("lesson00.handwritten").doesNotContain("IterativeServer");
    }
}
