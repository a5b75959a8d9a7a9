package org.flashlab.grader.grading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * How one lesson is scored: {@code lessons/NN-name/rubric.yaml}. The grader always reads the kit's
 * copy, never the submission's, so a student cannot rewrite the points.
 *
 * <ul>
 *   <li>{@code groups}: the tests, in groups of test classes (simple names, {@code *} as a wildcard);
 *       a test belongs to the first group that names its class. Credit within a group is per test:
 *       half its tests passing earns half its points. {@code kind: conformance} marks the
 *       architecture checks, which a server that proxies another earns nothing for.</li>
 *   <li>{@code robustness}: points for a server that starts, serves the right bytes under a burst of
 *       clients, does not let one stalled client block the rest, and leaves no process behind.</li>
 *   <li>{@code performance}: the ratio of the server's throughput to the reference model's, measured
 *       in turns on the grading machine: full points at or above {@code full}, none at or below
 *       {@code zero}, a straight line between.</li>
 *   <li>{@code manual}: points the instructor marks by hand, spread evenly over the README's
 *       questions, whose answers the report collects.</li>
 * </ul>
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record Rubric(List<Group> groups, Robustness robustness, Performance performance, Manual manual) {
    public static final String FILE = "rubric.yaml";

    /** Gradescope's visibilities: when a student sees an item. */
    static final List<String> VISIBILITIES = List.of("hidden", "after_due_date", "after_published", "visible");

    public Rubric {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** A group of tests, scored together. */
    public record Group(String id, String name, List<String> tests, double points, String kind, String visibility) {
        public Group {
            tests = tests == null ? List.of() : List.copyOf(tests);
            kind = kind == null ? "tests" : kind;
            visibility = visibility == null ? "visible" : visibility;
        }

        /** True when the test class (a fully qualified name) is one this group names. */
        public boolean matches(String className) {
            String simple = className.substring(className.lastIndexOf('.') + 1);
            return tests.stream().anyMatch(glob -> Pattern.compile(
                    ("\\Q" + glob + "\\E").replace("*", "\\E.*\\Q")).matcher(simple).matches());
        }
    }

    /** The live probe's points. */
    public record Robustness(double points) {}

    /**
     * The performance item, and the workload it is measured with: one file of {@code size} bytes,
     * {@code connections} closed-loop clients, {@code repeat} turns of {@code duration} seconds each,
     * and {@code options} given to both servers (an emulated disk, say).
     */
    public record Performance(double points, double full, double zero, int connections, long size, boolean keepAlive,
                              double duration, int repeat, List<String> options) {
        public Performance {
            options = options == null ? List.of() : List.copyOf(options);
        }

        /** The share of the points a ratio earns. */
        public double credit(double ratio) {
            if (ratio >= full) {
                return 1;
            }
            if (ratio <= zero) {
                return 0;
            }
            return (ratio - zero) / (full - zero);
        }
    }

    /** The hand-marked points, spread over the README's questions. */
    public record Manual(double points) {}

    /** Every point the rubric can give, marked by the grader or by hand. */
    public double total() {
        double t = groups.stream().mapToDouble(Group::points).sum();
        t += robustness == null ? 0 : robustness.points();
        t += performance == null ? 0 : performance.points();
        t += manual == null ? 0 : manual.points();
        return t;
    }

    /** The group a test class belongs to, or null when none names it. */
    public Group groupOf(String className) {
        return groups.stream().filter(g -> g.matches(className)).findFirst().orElse(null);
    }

    /** Reads and checks a rubric file. */
    public static Rubric load(Path file) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Rubric r;
        try {
            r = yaml.readValue(Files.readString(file), Rubric.class);
        } catch (IOException e) {
            throw new IOException(file + " is not a valid rubric: " + e.getMessage(), e);
        }
        List<String> problems = r.problems();
        if (!problems.isEmpty()) {
            throw new IOException(file + " is not a valid rubric:\n  " + String.join("\n  ", problems));
        }
        return r;
    }

    /** What is wrong with the rubric, in words; empty when nothing is. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Group g : groups) {
            if (g.id() == null || !g.id().matches("[a-z0-9-]+")) {
                p.add("a group needs an id of lowercase letters, digits and dashes (got '" + g.id() + "')");
            } else if (!ids.add(g.id())) {
                p.add("two groups have the id '" + g.id() + "'");
            }
            if (g.tests().isEmpty()) {
                p.add("group '" + g.id() + "' names no test classes");
            }
            if (g.points() < 0) {
                p.add("group '" + g.id() + "' has negative points");
            }
            if (!List.of("tests", "conformance").contains(g.kind())) {
                p.add("group '" + g.id() + "': kind is tests or conformance, not '" + g.kind() + "'");
            }
            if (!VISIBILITIES.contains(g.visibility())) {
                p.add("group '" + g.id() + "': visibility is one of " + VISIBILITIES + ", not '" + g.visibility() + "'");
            }
        }
        if (performance != null) {
            if (!(performance.zero() >= 0 && performance.full() > performance.zero())) {
                p.add("performance: full must be above zero, and zero at least 0 (a ratio of throughputs)");
            }
            if (performance.repeat() < 2) {
                p.add("performance: repeat must be at least 2 (one pair of runs has no interval)");
            }
            if (performance.duration() <= 0 || performance.connections() < 1 || performance.size() < 0) {
                p.add("performance: duration, connections and size must be positive");
            }
        }
        return p;
    }
}
