package org.flashlab.grader.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.flashlab.grader.experiment.ExperimentSpec.ClaimSpec;
import org.flashlab.grader.experiment.ExperimentSpec.Metric;
import org.flashlab.grader.run.Stats;

/**
 * The conclusions section: each of the paper's claims that a spec names, checked against what was
 * measured, never against what was hoped. An order is judged by the 95% confidence intervals: two
 * servers whose intervals overlap are "not distinguishable", whatever their means. A ratio and a
 * shape are judged by the means, and the evidence shows the intervals beside them.
 */
final class Claims {
    private Claims() {}

    enum Outcome {
        HELD("held"), NOT_DISTINGUISHABLE("not distinguishable"), DID_NOT_HOLD("did not hold"),
        NOT_MEASURED("not measured");

        final String words;

        Outcome(String words) {
            this.words = words;
        }
    }

    /** A claim's outcome, and the numbers behind it. */
    record Verdict(String claim, Outcome outcome, String evidence) {
        String sentence() {
            return claim + ": " + outcome.words + " (" + evidence + ")";
        }
    }

    /** The servers an order names, best first: "sped ~ amped > mt >= mp" names four. */
    static List<String> orderServers(String order) {
        return Arrays.stream(order.split("\\s*(>=|>|~)\\s*")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> orderRelations(String order) {
        List<String> r = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(">=|>|~").matcher(order);
        while (m.find()) {
            r.add(m.group());
        }
        return r;
    }

    static List<Verdict> check(Analysis a) {
        List<Verdict> verdicts = new ArrayList<>();
        for (ClaimSpec c : a.spec().expectations()) {
            verdicts.add(check(a, c));
        }
        return verdicts;
    }

    private static Verdict check(Analysis a, ClaimSpec c) {
        Metric metric = c.metric() != null ? c.metric() : a.spec().metricList().getFirst();
        String point = at(a, c.at());
        if (point == null) {
            return new Verdict(c.name(), Outcome.NOT_MEASURED, "this profile does not measure " + c.at());
        }
        String where = point.equals("-") ? "" : " at " + point;
        if (c.order() != null) {
            List<String> servers = orderServers(c.order());
            List<String> relations = orderRelations(c.order());
            List<String> numbers = new ArrayList<>();
            Outcome overall = Outcome.HELD;
            for (String s : servers) {
                Stats st = stats(a, point, s, metric);
                if (st.n() == 0) {
                    return new Verdict(c.name(), Outcome.NOT_MEASURED, s + " has no successful run" + where);
                }
                numbers.add(s + " " + format(st, metric));
            }
            for (int i = 0; i < relations.size(); i++) {
                Outcome o = compare(stats(a, point, servers.get(i), metric), stats(a, point, servers.get(i + 1), metric),
                        relations.get(i));
                overall = worse(overall, o);
            }
            return new Verdict(c.name(), overall, String.join(", ", numbers) + " " + metric.label + where);
        }
        if (c.ratio() != null) {
            Stats of = stats(a, point, c.ratio().of(), metric);
            Stats over = stats(a, point, c.ratio().over(), metric);
            if (of.n() == 0 || over.n() == 0) {
                return new Verdict(c.name(), Outcome.NOT_MEASURED, "a server has no successful run" + where);
            }
            double ratio = of.mean() / over.mean();
            String interval = of.n() > 1 && over.n() > 1 && over.low() > 0
                    ? String.format(Locale.ROOT, " (at most [%.2f, %.2f] from the intervals)", of.low() / over.high(),
                    of.high() / over.low())
                    : "";
            Outcome o = ratio >= c.ratio().atLeast() ? Outcome.HELD : Outcome.DID_NOT_HOLD;
            return new Verdict(c.name(), o, String.format(Locale.ROOT, "%s / %s = %.2fx%s, wanted at least %.2fx; %s %s, %s %s %s%s",
                    c.ratio().of(), c.ratio().over(), ratio, interval, c.ratio().atLeast(), c.ratio().of(), format(of, metric),
                    c.ratio().over(), format(over, metric), metric.label, where));
        }
        // A shape across the whole sweep, for each server named.
        Outcome overall = Outcome.HELD;
        List<String> evidence = new ArrayList<>();
        for (String s : c.shape().servers()) {
            double[] means = a.points().stream().mapToDouble(p -> stats(a, p, s, metric).mean()).toArray();
            if (Arrays.stream(means).anyMatch(Double::isNaN) || means.length < 3) {
                return new Verdict(c.name(), Outcome.NOT_MEASURED, s + " lacks a point of the sweep, or the sweep has fewer than 3");
            }
            double max = Arrays.stream(means).max().orElseThrow();
            int peak = 0;
            while (means[peak] != max) {
                peak++;
            }
            double last = means[means.length - 1];
            boolean held = switch (c.shape().is()) {
                case levelsOff -> last >= 0.8 * max && max >= 1.1 * means[0];
                case declines -> peak < means.length - 1 && last <= 0.8 * max;
                case rises -> last >= 1.1 * means[0];
            };
            overall = worse(overall, held ? Outcome.HELD : Outcome.DID_NOT_HOLD);
            evidence.add(String.format(Locale.ROOT, "%s: first %s, peak %s at %s, last %s", s,
                    String.format(Locale.ROOT, metric.format, means[0]), String.format(Locale.ROOT, metric.format, max),
                    a.points().get(peak), String.format(Locale.ROOT, metric.format, last)));
        }
        return new Verdict(c.name(), overall, String.join("; ", evidence) + " " + metric.label
                + " (levels off: the peak is 10% above the first point and the last keeps 80% of the peak; declines: "
                + "the peak is not the last point and the last falls below 80% of it; rises: the last is 10% above the first)");
    }

    /** What relation {@code rel} between two measured means the intervals support. */
    static Outcome compare(Stats a, Stats b, String rel) {
        boolean intervals = a.n() > 1 && b.n() > 1;
        boolean aAhead = intervals ? a.low() > b.high() : a.mean() > b.mean();
        boolean bAhead = intervals ? b.low() > a.high() : b.mean() > a.mean();
        return switch (rel) {
            case ">" -> aAhead ? Outcome.HELD : bAhead ? Outcome.DID_NOT_HOLD : Outcome.NOT_DISTINGUISHABLE;
            case ">=" -> bAhead ? Outcome.DID_NOT_HOLD : Outcome.HELD;
            default -> { // "~": about equal: the intervals overlap, or the means are within 10%
                double larger = Math.max(Math.abs(a.mean()), Math.abs(b.mean()));
                yield !aAhead && !bAhead || Math.abs(a.mean() - b.mean()) <= 0.1 * larger ? Outcome.HELD : Outcome.DID_NOT_HOLD;
            }
        };
    }

    private static Outcome worse(Outcome a, Outcome b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    private static String at(Analysis a, String at) {
        if (at == null || at.equals("largest")) {
            return a.points().getLast();
        }
        if (at.equals("smallest")) {
            return a.points().getFirst();
        }
        return a.points().contains(at) ? at : null;
    }

    private static Stats stats(Analysis a, String point, String server, Metric m) {
        Analysis.Cell c = a.cell(point, server);
        return c == null ? Stats.of() : c.get(m);
    }

    static String format(Stats s, Metric m) {
        if (s.n() == 0) {
            return "not measured";
        }
        String mean = String.format(Locale.ROOT, m.format, s.mean());
        return s.n() == 1 ? mean : mean + " ± " + String.format(Locale.ROOT, m.format, (s.high() - s.low()) / 2);
    }
}
