package org.flashlab.grader.grading;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.flashlab.grader.grading.Evidence.Outcome;
import org.flashlab.grader.grading.Evidence.TestCase;
import org.flashlab.grader.grading.Evidence.Verdict;

/**
 * A rubric applied to the evidence: one item per rubric entry, each with its points and the reason
 * for them. It is a pure function of its inputs, so a grade can be recomputed, and tested, from
 * recorded evidence alone.
 *
 * @param score     the points the grader gave (manual items count 0 until marked by hand)
 * @param autoMax   the points the grader can give
 * @param manualMax the points left for the instructor to mark
 * @param flags     what an instructor should look at: integrity findings, a broken server
 */
public record Grade(String lesson, String submission, double score, double autoMax, double manualMax,
                    List<Item> items, List<String> flags, Evidence evidence) {

    /** What an item is: only the implementation items count towards "the starter scores 0". */
    public enum Kind { TESTS, CONFORMANCE, ROBUSTNESS, PERFORMANCE, MANUAL, INFO;

        public boolean implementation() {
            return this != MANUAL && this != INFO;
        }
    }

    public enum Status { PASSED, PARTIAL, FAILED, MANUAL, INFO }

    /**
     * One scored line.
     *
     * @param output     what a student reads under it: the failed tests and their messages, or the verdict
     * @param visibility Gradescope's: when a student sees it
     */
    public record Item(String id, String name, Kind kind, double score, double max, Status status, String reason,
                       String output, String visibility) {}

    /**
     * Applies the rubric.
     *
     * @param starterPasses tests ("Class#name") that pass on the starter as shipped: they earn nothing,
     *                      since they measure nothing the student wrote
     */
    public static Grade of(Rubric rubric, Evidence e, Set<String> starterPasses) {
        List<Item> items = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        boolean cheats = !e.integrity().referenceUses().isEmpty();
        boolean proxies = e.probe().verdict() == Verdict.PROXIES;
        if (cheats) {
            flags.add("uses the reference implementation: " + String.join(", ", e.integrity().referenceUses()));
        }
        if (proxies) {
            flags.add("proxies another server: " + String.join("; ", e.probe().proxies()));
        }
        if (!e.build().ok()) {
            flags.add("did not compile");
        }
        if (e.probe().verdict() != Verdict.OK && e.probe().verdict() != Verdict.NOT_RUN && !proxies) {
            flags.add("the server " + e.probe().verdict().words);
        }

        // The lesson's own tests (provided and hidden), grouped as the rubric says.
        Map<Rubric.Group, List<TestCase>> byGroup = new LinkedHashMap<>();
        rubric.groups().forEach(g -> byGroup.put(g, new ArrayList<>()));
        List<TestCase> unscored = new ArrayList<>();
        String runFailure = e.tests().stream().filter(t -> t.origin() != Evidence.Origin.EARLIER
                && Evidence.RUN_FAILED.equals(t.className())).map(TestCase::message).findFirst().orElse(null);
        for (TestCase t : e.tests()) {
            if (Evidence.RUN_FAILED.equals(t.className()) && t.origin() != Evidence.Origin.EARLIER) {
                continue;
            }
            Rubric.Group g = t.origin() == Evidence.Origin.EARLIER ? null : rubric.groupOf(t.className());
            if (g == null) {
                unscored.add(t);
            } else {
                byGroup.get(g).add(t);
            }
        }
        for (Map.Entry<Rubric.Group, List<TestCase>> entry : byGroup.entrySet()) {
            Rubric.Group g = entry.getKey();
            Kind kind = g.kind().equals("conformance") ? Kind.CONFORMANCE : Kind.TESTS;
            if (cheats) {
                items.add(zero(g.id(), g.name(), kind, g.points(), "integrity: the submission uses the reference "
                        + "implementation, so its tests prove nothing of its own", g.visibility()));
            } else if (!e.build().ok()) {
                items.add(zero(g.id(), g.name(), kind, g.points(), "the submission did not compile; the compiler said:\n"
                        + e.build().detail(), g.visibility()));
            } else if (kind == Kind.CONFORMANCE && proxies) {
                items.add(zero(g.id(), g.name(), kind, g.points(), "integrity: the server passes requests on to another "
                        + "server, so its architecture is not its own: " + String.join("; ", e.probe().proxies()),
                        g.visibility()));
            } else if (runFailure != null && entry.getValue().isEmpty()) {
                items.add(zero(g.id(), g.name(), kind, g.points(), "the tests could not run: " + runFailure, g.visibility()));
            } else {
                items.add(tests(g, kind, entry.getValue(), starterPasses));
            }
        }

        Rubric.Robustness robustness = rubric.robustness();
        if (robustness != null) {
            Evidence.Probe p = e.probe();
            String detail = p.detail() == null || p.detail().isBlank() ? "" : ": " + p.detail();
            if (cheats) {
                items.add(zero("robustness", "Robustness", Kind.ROBUSTNESS, robustness.points(),
                        "integrity: the submission uses the reference implementation", "visible"));
            } else if (p.verdict() == Verdict.OK) {
                items.add(new Item("robustness", "Robustness", Kind.ROBUSTNESS, robustness.points(), robustness.points(),
                        Status.PASSED, "the server started, " + p.verdict().words + " (" + p.served()
                        + " of them, under a burst of clients), and stopped cleanly", "", "visible"));
            } else {
                items.add(zero("robustness", "Robustness", Kind.ROBUSTNESS, robustness.points(),
                        "the server " + p.verdict().words + detail
                                + (p.leftovers().isEmpty() ? "" : "\nleft running (and killed): " + String.join("; ", p.leftovers())),
                        "visible"));
            }
        }

        Rubric.Performance perf = rubric.performance();
        if (perf != null) {
            Evidence.Measurement m = e.performance();
            String name = "Performance against the reference";
            if (cheats || proxies) {
                items.add(zero("performance", name, Kind.PERFORMANCE, perf.points(), "integrity: the submission "
                        + (cheats ? "uses the reference implementation" : Verdict.PROXIES.words)
                        + ", so the throughput measured is not its own", "visible"));
            } else if (e.probe().verdict() != Verdict.OK && e.probe().verdict() != Verdict.NOT_RUN) {
                items.add(zero("performance", name, Kind.PERFORMANCE, perf.points(),
                        "not measured: the server " + e.probe().verdict().words + " in the probe", "visible"));
            } else if (!m.measured()) {
                items.add(zero("performance", name, Kind.PERFORMANCE, perf.points(),
                        "not measured: " + m.detail(), "visible"));
            } else {
                double credit = perf.credit(m.ratio());
                double points = round(perf.points() * credit);
                String reason = String.format(Locale.ROOT, "%.0f req/s against the reference %s's %.0f: a ratio of %.2f "
                                + "(95%% CI [%.2f, %.2f], %d pairs of runs); full marks at %.2f, none at %.2f",
                        m.requestsPerSecond(), m.reference(), m.referenceRequestsPerSecond(), m.ratio(), m.low(), m.high(),
                        m.pairs(), perf.full(), perf.zero());
                items.add(new Item("performance", name, Kind.PERFORMANCE, points, perf.points(),
                        credit >= 1 ? Status.PASSED : credit > 0 ? Status.PARTIAL : Status.FAILED, reason, "", "visible"));
            }
        }

        if (!e.integrity().modifiedTests().isEmpty()) {
            items.add(new Item("provided-tests", "Provided tests unmodified", Kind.INFO, 0, 0, Status.INFO,
                    "the submission changed the provided tests; the grader ran the kit's own copies, so the changes "
                            + "had no effect", String.join("\n", e.integrity().modifiedTests()), "visible"));
        }
        if (!e.integrity().notes().isEmpty()) {
            items.add(new Item("notes", "Worth a look (not scored)", Kind.INFO, 0, 0, Status.INFO,
                    String.join("; ", e.integrity().notes()), "", "visible"));
            flags.addAll(e.integrity().notes());
        }
        List<TestCase> earlier = e.tests().stream().filter(t -> t.origin() == Evidence.Origin.EARLIER).toList();
        if (!earlier.isEmpty()) {
            long failed = earlier.stream().filter(t -> t.outcome() == Outcome.FAILED).count();
            items.add(new Item("earlier-lessons", "Earlier lessons' tests (not scored)", Kind.INFO, 0, 0, Status.INFO,
                    String.format(Locale.ROOT, "%d of %d pass", earlier.stream().filter(t -> t.outcome() == Outcome.PASSED).count(),
                            earlier.size() - earlier.stream().filter(t -> t.outcome() == Outcome.SKIPPED).count()),
                    failures(earlier.stream().filter(t -> t.outcome() == Outcome.FAILED).toList()), "visible"));
            if (failed > 0) {
                flags.add(failed + " of the earlier lessons' tests fail (regressions)");
            }
        }
        if (!unscored.isEmpty() && unscored.stream().anyMatch(t -> t.origin() != Evidence.Origin.EARLIER)) {
            List<TestCase> mine = unscored.stream().filter(t -> t.origin() != Evidence.Origin.EARLIER).toList();
            items.add(new Item("unscored", "Tests no rubric group names (not scored)", Kind.INFO, 0, 0, Status.INFO,
                    mine.size() + " tests: the rubric should name their classes", failures(mine), "hidden"));
        }

        Rubric.Manual manual = rubric.manual();
        if (manual != null && manual.points() > 0) {
            List<Evidence.Answer> answers = e.answers();
            int n = Math.max(1, answers.size());
            // Whole hundredths each, the remainder on the last, so the questions add up to the rubric's points.
            double each = Math.floor(manual.points() * 100 / n) / 100;
            for (int i = 0; i < n; i++) {
                double max = i < n - 1 ? each : round(manual.points() - each * (n - 1));
                Evidence.Answer a = i < answers.size() ? answers.get(i) : new Evidence.Answer(1, "(the README has no questions)", "");
                String answered = a.answer() == null || a.answer().isBlank() ? "no answer found in ANSWERS.md" : "answered";
                items.add(new Item("question-" + a.number(), "Question " + a.number() + " (marked by hand)", Kind.MANUAL, 0,
                        max, Status.MANUAL, answered,
                        a.question() + "\n\n" + (a.answer() == null || a.answer().isBlank() ? "(no answer)" : a.answer()),
                        "hidden"));
            }
        }

        double score = round(items.stream().mapToDouble(Item::score).sum());
        double autoMax = round(items.stream().filter(i -> i.kind().implementation()).mapToDouble(Item::max).sum());
        double manualMax = round(items.stream().filter(i -> i.kind() == Kind.MANUAL).mapToDouble(Item::max).sum());
        return new Grade(e.lesson(), e.submission(), score, autoMax, manualMax, List.copyOf(items), List.copyOf(flags), e);
    }

    private static Item tests(Rubric.Group g, Kind kind, List<TestCase> cases, Set<String> starterPasses) {
        List<TestCase> counted = cases.stream().filter(t -> t.outcome() != Outcome.SKIPPED)
                .filter(t -> !starterPasses.contains(t.key())).toList();
        List<TestCase> skipped = cases.stream().filter(t -> t.outcome() == Outcome.SKIPPED).toList();
        if (counted.isEmpty()) {
            String why = cases.isEmpty() ? "none of its tests ran (" + String.join(", ", g.tests()) + ")"
                    : "every one of its tests was skipped or passes on the starter as shipped";
            return zero(g.id(), g.name(), kind, g.points(), why, g.visibility());
        }
        long passed = counted.stream().filter(t -> t.outcome() == Outcome.PASSED).count();
        double points = round(g.points() * passed / counted.size());
        Status status = passed == counted.size() ? Status.PASSED : passed == 0 ? Status.FAILED : Status.PARTIAL;
        String reason = passed + " of " + counted.size() + " tests pass"
                + (skipped.isEmpty() ? "" : "; " + skipped.size() + " skipped here (" + skipped.getFirst().message() + ")");
        boolean hidden = !g.visibility().equals("visible");
        String output = hidden ? "" : failures(counted.stream().filter(t -> t.outcome() == Outcome.FAILED).toList());
        return new Item(g.id(), g.name(), kind, points, g.points(), status, reason, output, g.visibility());
    }

    /** Each failed test with its message, which in the lessons' tests says what to fix and where to read. */
    private static String failures(List<TestCase> failed) {
        StringBuilder b = new StringBuilder();
        for (TestCase t : failed) {
            b.append(simple(t.className())).append(" > ").append(t.name()).append('\n');
            if (t.message() != null && !t.message().isBlank()) {
                t.message().lines().limit(12).forEach(l -> b.append("    ").append(l).append('\n'));
            }
        }
        return b.toString().stripTrailing();
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static Item zero(String id, String name, Kind kind, double max, String reason, String visibility) {
        return new Item(id, name, kind, 0, max, Status.FAILED, reason, "", visibility);
    }

    static double round(double points) {
        return Math.round(points * 100) / 100.0;
    }

    /** The points the implementation items gave: what a starter must score 0 on. */
    public double implementationScore() {
        return round(items.stream().filter(i -> i.kind().implementation()).mapToDouble(Item::score).sum());
    }
}
