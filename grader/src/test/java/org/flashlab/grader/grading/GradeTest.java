package org.flashlab.grader.grading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;

import org.flashlab.grader.grading.Evidence.Verdict;
import org.flashlab.grader.grading.Grade.Item;
import org.flashlab.grader.grading.Grade.Kind;
import org.flashlab.grader.grading.Grade.Status;
import org.junit.jupiter.api.Test;

/** The rubric applied to recorded evidence: every rule, with nothing measured. */
class GradeTest {
    private static Item item(Grade g, String id) {
        return g.items().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void everythingRightIsFullMarks() {
        Grade g = Grade.of(Samples.RUBRIC, Samples.evidence("ada", 4, true, true, Verdict.OK, 1.1), Set.of());
        assertThat(g.score()).isEqualTo(g.autoMax()).isEqualTo(80);
        assertThat(g.manualMax()).isEqualTo(10);
        assertThat(g.flags()).isEmpty();
        assertThat(item(g, "conformance").reason()).as("a skipped test is neither passed nor failed")
                .contains("1 of 1 tests pass").contains("1 skipped here (needs root)");
    }

    @Test
    void creditWithinAGroupIsPerTestAndFailuresSayWhatToFix() {
        Grade g = Grade.of(Samples.RUBRIC, Samples.evidence("bo", 3, true, true, Verdict.OK, 1.1), Set.of());
        Item loop = item(g, "loop");
        assertThat(loop.score()).isEqualTo(22.5);
        assertThat(loop.status()).isEqualTo(Status.PARTIAL);
        assertThat(loop.output()).contains("LoopTest > case3()").contains("README, \"Task 1\"");
    }

    @Test
    void hiddenGroupsShowCountsButNotTheirTests() {
        Grade g = Grade.of(Samples.RUBRIC, Samples.evidence("cy", 4, false, true, Verdict.OK, 1.1), Set.of());
        Item hidden = item(g, "hidden");
        assertThat(hidden.score()).isZero();
        assertThat(hidden.reason()).isEqualTo("0 of 1 tests pass");
        assertThat(hidden.output()).isEmpty();
        assertThat(hidden.visibility()).isEqualTo("after_due_date");
    }

    @Test
    void testsThatPassOnTheStarterEarnNothing() {
        Grade g = Grade.of(Samples.RUBRIC, Samples.evidence("di", 1, false, false, Verdict.NEVER_READY, 0),
                Set.of("LoopTest#case0()"));
        assertThat(item(g, "loop").score()).as("case0 passes on the starter, so passing it earns nothing").isZero();
        assertThat(item(g, "loop").reason()).isEqualTo("0 of 3 tests pass");
        assertThat(g.implementationScore()).isZero();
    }

    @Test
    void performanceIsFullAtTheThresholdNoneAtZeroAndAStraightLineBetween() {
        assertThat(item(Grade.of(Samples.RUBRIC, Samples.evidence("a", 4, true, true, Verdict.OK, 0.8), Set.of()), "performance")
                .score()).isEqualTo(20);
        assertThat(item(Grade.of(Samples.RUBRIC, Samples.evidence("b", 4, true, true, Verdict.OK, 0.55), Set.of()), "performance")
                .score()).isCloseTo(10, within(0.01));
        Item none = item(Grade.of(Samples.RUBRIC, Samples.evidence("c", 4, true, true, Verdict.OK, 0.3), Set.of()), "performance");
        assertThat(none.score()).isZero();
        assertThat(none.reason()).contains("a ratio of 0.30").contains("95% CI [0.25, 0.35]").contains("full marks at 0.80");
    }

    @Test
    void aBrokenServerLosesTheProbeAndPerformanceButKeepsItsTests() {
        Grade g = Grade.of(Samples.RUBRIC, Samples.evidence("ed", 4, true, true, Verdict.CRASHED, 0), Set.of());
        assertThat(item(g, "robustness").score()).isZero();
        assertThat(item(g, "robustness").reason()).contains("crashed while serving: it went wrong");
        assertThat(item(g, "performance").reason()).contains("not measured: the server crashed while serving");
        assertThat(item(g, "loop").score()).isEqualTo(30);
        assertThat(g.flags()).contains("the server crashed while serving");
    }

    @Test
    void aSubmissionThatDoesNotCompileGetsTheCompilersWords() {
        Evidence e = Samples.evidence("fi", 0, false, false, Verdict.NOT_RUN, 0);
        e = new Evidence(e.lesson(), e.submission(), 1, new Evidence.Build(false, "[ERROR] SpedServer.java:[12,5] ';' expected"),
                List.of(), null, Evidence.Probe.notRun("the submission did not compile"), null, e.answers());
        Grade g = Grade.of(Samples.RUBRIC, e, Set.of());
        assertThat(g.score()).isZero();
        assertThat(item(g, "loop").reason()).contains("did not compile").contains("';' expected");
        assertThat(g.flags()).contains("did not compile");
    }

    @Test
    void usingTheReferenceZeroesEveryImplementationItem() {
        Evidence e = Samples.evidence("gus", 4, true, true, Verdict.OK, 1.0);
        e = new Evidence(e.lesson(), e.submission(), 1, e.build(), e.tests(),
                new Evidence.Integrity(List.of("Class <org.flashlab.lesson03.SpedServer> extends class <org.flashlab.reference.sped.SpedServer>"),
                        List.of()), e.probe(), e.performance(), e.answers());
        Grade g = Grade.of(Samples.RUBRIC, e, Set.of());
        assertThat(g.implementationScore()).isZero();
        assertThat(g.items()).filteredOn(i -> i.kind().implementation()).allSatisfy(i -> assertThat(i.reason()).contains("integrity"));
        assertThat(g.flags()).anySatisfy(f -> assertThat(f).contains("uses the reference implementation"));
    }

    @Test
    void changedProvidedTestsAreReportedNotPunished() {
        Evidence e = Samples.evidence("hal", 4, true, true, Verdict.OK, 1.0);
        e = new Evidence(e.lesson(), e.submission(), 1, e.build(), e.tests(),
                new Evidence.Integrity(List.of(), List.of("changed: src/test/java/org/flashlab/lesson03/LoopTest.java")),
                e.probe(), e.performance(), e.answers());
        Grade g = Grade.of(Samples.RUBRIC, e, Set.of());
        assertThat(g.score()).isEqualTo(80);
        assertThat(item(g, "provided-tests").kind()).isEqualTo(Kind.INFO);
        assertThat(item(g, "provided-tests").output()).contains("LoopTest.java");
    }

    @Test
    void anUnusedJarIsNotedAndFlaggedButCostsNothing() {
        Evidence e = Samples.evidence("jo", 4, true, true, Verdict.OK, 1.0);
        e = new Evidence(e.lesson(), e.submission(), 1, e.build(), e.tests(),
                new Evidence.Integrity(List.of(), List.of(), List.of("carries a jar (unused): lib/x.jar")),
                e.probe(), e.performance(), e.answers());
        Grade g = Grade.of(Samples.RUBRIC, e, Set.of());
        assertThat(g.score()).isEqualTo(80);
        assertThat(item(g, "notes").reason()).contains("lib/x.jar");
        assertThat(g.flags()).contains("carries a jar (unused): lib/x.jar");
    }

    @Test
    void manualItemsSplitTheirPointsAndCarryTheAnswers() {
        Grade g = Grade.of(Samples.RUBRIC, Samples.evidence("ivy", 4, true, true, Verdict.OK, 1.0), Set.of());
        List<Item> manual = g.items().stream().filter(i -> i.kind() == Kind.MANUAL).toList();
        assertThat(manual).hasSize(3);
        assertThat(manual.stream().mapToDouble(Item::max).sum()).isCloseTo(10, within(1e-9));
        assertThat(manual.get(0).output()).contains("Why?").contains("Because.");
        assertThat(manual.get(1).reason()).isEqualTo("no answer found in ANSWERS.md");
        assertThat(manual).allSatisfy(i -> assertThat(i.score()).isZero());
    }
}
