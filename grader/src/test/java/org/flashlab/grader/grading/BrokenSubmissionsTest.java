package org.flashlab.grader.grading;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.flashlab.grader.grading.Evidence.Verdict;
import org.flashlab.grader.grading.broken.BlockingSped;
import org.flashlab.grader.grading.broken.CrashAfter100;
import org.flashlab.grader.grading.broken.DeadlockingMt;
import org.flashlab.grader.grading.broken.LeakingMp;
import org.flashlab.grader.grading.broken.NeverReady;
import org.flashlab.grader.grading.broken.ProxiesReference;
import org.flashlab.grader.grading.broken.WrongBytes;
import org.flashlab.grader.lessons.ServeLesson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deliberately broken submissions, each a student's kind of bug, run as a submission's server is
 * (ServeLesson in a sandboxed JVM) and probed live: each gets its verdict, with a reason a student can
 * act on; the rubric then gives nothing for what the verdict touches and still grades the rest; and no
 * process of any of them outlives its probe.
 */
class BrokenSubmissionsTest {
    /** Shorter bounds than a real grade's, for a test: each broken server fails them for certain. */
    private static final Probe.Timeouts QUICK = new Probe.Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(5),
            Duration.ofSeconds(3));

    @TempDir
    Path docroot;

    private Sandbox sandbox;

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of(BlockingSped.class, true, Verdict.BLOCKS, "while one client had sent half a request"),
                Arguments.of(DeadlockingMt.class, true, Verdict.HANGS, "got no complete answer within 5 s"),
                Arguments.of(LeakingMp.class, true, Verdict.LEFT_PROCESSES, "sleep 600"),
                Arguments.of(WrongBytes.class, true, Verdict.WRONG_BYTES, "the body differs from the file at byte 1023"),
                Arguments.of(NeverReady.class, true, Verdict.NEVER_READY, "no readiness line"),
                Arguments.of(CrashAfter100.class, true, Verdict.CRASHED, "exited with status 3"),
                Arguments.of(ProxiesReference.class, true, Verdict.PROXIES, "reference.Main"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("broken")
    void eachGetsItsVerdictAndLeavesNoProcess(Class<?> server, boolean concurrent, Verdict expected, String why)
            throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(server != ProxiesReference.class
                || org.flashlab.server.JavaCommand.available("org.flashlab.reference.Main"),
                "this copy of the kit has no reference server to proxy (exported without it)");
        sandbox = new Sandbox();
        List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), ServeLesson.class.getName(), server.getName(),
                "--docroot", "{docroot}", "--port", "{port}");
        Evidence.Probe probe = Probe.run(command, docroot, concurrent, sandbox, QUICK);

        assertThat(probe.verdict()).as("the verdict on %s: %s", server.getSimpleName(), probe.detail()).isEqualTo(expected);
        assertThat(probe.detail() + String.join("\n", probe.leftovers())).as("the verdict's reason").contains(why);
        assertThat(sandbox.members()).as("processes of %s still running after its probe", server.getSimpleName()).isEmpty();

        // The rubric: the probe's items get nothing, with the verdict as the reason; the tests still count.
        Rubric rubric = new Rubric(List.of(new Rubric.Group("tests", "Tests", List.of("*Test"), 10, null, null)),
                new Rubric.Robustness(5), new Rubric.Performance(10, 0.8, 0.3, 20, 1024, false, 1, 2, List.of()), null);
        Evidence e = new Evidence("03-sped", server.getSimpleName(), 1, new Evidence.Build(true, ""),
                List.of(new Evidence.TestCase(Evidence.Origin.PROVIDED, "03-sped", "x.SomeTest", "t()", Evidence.Outcome.PASSED, "")),
                null, probe, new Evidence.Measurement(true, "", "sped", 1.2, 1.1, 1.3, 3, 1200, 1000), List.of());
        Grade g = Grade.of(rubric, e, Set.of());
        assertThat(g.items()).filteredOn(i -> i.id().equals("tests")).singleElement()
                .satisfies(i -> assertThat(i.score()).isEqualTo(10));
        assertThat(g.items()).filteredOn(i -> i.id().equals("robustness") || i.id().equals("performance"))
                .hasSize(2).allSatisfy(i -> {
                    assertThat(i.score()).isZero();
                    assertThat(i.reason()).contains(expected.words);
                });
        assertThat(g.flags()).isNotEmpty();
    }

    @AfterEach
    void noneLeft() {
        if (sandbox != null) {
            assertThat(sandbox.killAll()).as("processes the probe should have stopped").isEmpty();
        }
    }
}
