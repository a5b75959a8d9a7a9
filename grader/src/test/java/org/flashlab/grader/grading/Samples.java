package org.flashlab.grader.grading;

import java.util.ArrayList;
import java.util.List;

import org.flashlab.grader.grading.Evidence.Origin;
import org.flashlab.grader.grading.Evidence.Outcome;
import org.flashlab.grader.grading.Evidence.TestCase;

/** Recorded evidence for the grading tests: no build, no server, no clock. */
final class Samples {
    private Samples() {}

    static final Rubric RUBRIC = new Rubric(List.of(
            new Rubric.Group("loop", "The loop", List.of("LoopTest", "Stall*"), 30, null, null),
            new Rubric.Group("hidden", "Hidden tests", List.of("*HiddenTest"), 10, null, "after_due_date"),
            new Rubric.Group("conformance", "Conformance", List.of("*ConformanceTest"), 10, "conformance", null)),
            new Rubric.Robustness(10), new Rubric.Performance(20, 0.8, 0.3, 20, 1024, false, 1, 3, List.of()),
            new Rubric.Manual(10));

    /**
     * A submission: {@code loopPassed} of 4 loop tests pass, hidden and conformance pass or not, and
     * its server was probed and measured as given.
     */
    static Evidence evidence(String name, int loopPassed, boolean hidden, boolean conformance, Evidence.Verdict verdict,
                             double ratio) {
        List<TestCase> tests = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            boolean ok = i < loopPassed;
            tests.add(new TestCase(Origin.PROVIDED, "03-sped", "org.flashlab.lesson03.LoopTest", "case" + i + "()",
                    ok ? Outcome.PASSED : Outcome.FAILED, ok ? "" : "expected 200, got 500 (README, \"Task 1\")"));
        }
        tests.add(new TestCase(Origin.HIDDEN, "03-sped", "org.flashlab.lesson03.SpedHiddenTest", "big()",
                hidden ? Outcome.PASSED : Outcome.FAILED, hidden ? "" : "the body of a 3 MB file"));
        tests.add(new TestCase(Origin.PROVIDED, "03-sped", "org.flashlab.lesson03.SpedConformanceTest", "threads()",
                conformance ? Outcome.PASSED : Outcome.FAILED, conformance ? "" : "saw 601 serving threads"));
        tests.add(new TestCase(Origin.PROVIDED, "03-sped", "org.flashlab.lesson03.SpedConformanceTest", "disk()",
                Outcome.SKIPPED, "needs root"));
        Evidence.Probe probe = new Evidence.Probe(verdict, verdict == Evidence.Verdict.OK ? "" : "it went wrong", 403,
                List.of(), List.of());
        Evidence.Measurement m = ratio > 0
                ? new Evidence.Measurement(true, "", "sped", ratio, ratio - 0.05, ratio + 0.05, 3, 1000 * ratio, 1000)
                : Evidence.Measurement.notRun("the server was not probed");
        return new Evidence("03-sped", name, 42.5, new Evidence.Build(true, ""), tests, null, probe, m,
                List.of(new Evidence.Answer(1, "Why?", "Because."), new Evidence.Answer(2, "How?", ""),
                        new Evidence.Answer(3, "When?", "Now.")));
    }
}
