package org.flashlab.lesson06;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.flashlab.grader.experiment.ExperimentSpec;
import org.flashlab.grader.experiment.ExperimentSpec.DiskMode;
import org.flashlab.grader.experiment.ExperimentSpec.Parameter;
import org.flashlab.grader.experiment.ExperimentSpec.ServerSpec;
import org.flashlab.grader.run.RunCommand;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Task 1: your experiment.yaml is a design someone else could trust. These checks cannot tell a good
 * question from a dull one (that is the instructor's part); they check what a design must have.
 */
class ExperimentSpecCheckTest {
    static final Path SPEC = Path.of("experiment.yaml");

    static ExperimentSpec spec() throws Exception {
        assertThat(SPEC).as("your spec, in the lesson's folder").exists();
        try {
            return ExperimentSpec.load(SPEC.toString());
        } catch (ExperimentSpec.InvalidSpec e) {
            return fail("experiment.yaml is not a valid spec: %s (docs/experiments.md lists every field)", e.getMessage());
        }
    }

    @Test
    @DisplayName("the spec is valid, as ./flashlab experiment reads it")
    void validates() throws Exception {
        spec();
    }

    @Test
    @DisplayName("it states its purpose and what it expects, before anything is measured")
    void statesPurposeAndExpectations() throws Exception {
        ExperimentSpec s = spec();
        assertThat(s.purpose()).as("purpose").isNotBlank().doesNotContain("TODO");
        assertThat(s.title()).as("title").isNotBlank().doesNotContain("TODO");
        assertThat(s.expect()).as("expect: at least one claim (an order, a ratio or a shape) written down first")
                .isNotEmpty();
    }

    @Test
    @DisplayName("it measures your servers against a baseline: a reference model or the state of the art")
    void hasABaseline() throws Exception {
        List<ServerSpec> servers = spec().servers();
        assertThat(servers).as("servers").isNotNull();
        assertThat(servers.stream().filter(s -> s.lesson() != null))
                .as("your servers from earlier lessons ({lesson: \"03\"} ...)").isNotEmpty();
        assertThat(servers.stream().filter(s -> s.model() != null || s.external() != null))
                .as("a baseline: a reference model ({model: sped}) or the state of the art ({external: nginx})")
                .isNotEmpty();
    }

    @Test
    @DisplayName("every point is measured at least 3 times, in every profile but the smoke check")
    void repeatsEachRun() throws Exception {
        ExperimentSpec s = spec();
        for (String profile : s.profileNames()) {
            if (profile.equals("check")) {
                continue; // the derived smoke run: one repetition, by design
            }
            assertThat(s.resolve(profile).repetitions()).as("repetitions in the %s profile: one run is an anecdote, "
                    + "and an interval needs at least 3", profile).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    @DisplayName("the sweep crosses the point where the answer should change")
    void rangeCrossesTheInterestingPoint() throws Exception {
        ExperimentSpec s = spec();
        Parameter p = s.sweep() == null ? Parameter.none : s.sweep().parameter();
        List<String> values = s.sweep() == null || s.sweep().values() == null ? List.of() : s.sweep().values();
        assertThat(p).as("the parameter you vary (sweep.parameter)").isNotEqualTo(Parameter.none);
        if (p != Parameter.trace) { // a trace sweep compares workloads: owlnet and cs are the two there are
            assertThat(values).as("sweep.values: at least 3 points, so that a shape can be seen").hasSizeGreaterThanOrEqualTo(3);
        }
        switch (p) {
            case datasetMb -> {
                assertThat(s.disk()).as("a dataset sweep needs a memory budget to cross (disk)").isNotNull();
                assertThat(s.disk().mode()).as("disk.mode").isNotEqualTo(DiskMode.none);
                double budget = s.disk().memoryBudgetMb();
                List<Double> mb = values.stream().map(Double::parseDouble).toList();
                assertThat(mb.stream().mapToDouble(Double::doubleValue).min().orElseThrow())
                        .as("the smallest dataset, which must fit the %s MB memory budget", budget).isLessThan(budget);
                assertThat(mb.stream().mapToDouble(Double::doubleValue).max().orElseThrow())
                        .as("the largest dataset, which must not fit the %s MB memory budget", budget).isGreaterThan(budget);
            }
            case fileSize -> assertThat(span(values.stream().map(v -> (double) Math.max(1, RunCommand.parseSize(v))).toList()))
                    .as("largest file over smallest: from per-request costs to per-byte costs takes 100x").isGreaterThanOrEqualTo(100);
            case trace -> assertThat(values).as("traces: at least two to compare").hasSizeGreaterThanOrEqualTo(2);
            default -> assertThat(span(values.stream().map(Double::parseDouble).toList()))
                    .as("largest %s over smallest: from well below saturation to past it takes 8x or more", p)
                    .isGreaterThanOrEqualTo(8);
        }
    }

    private static double span(List<Double> values) {
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(1);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        return max / Math.max(min, 1e-9);
    }

    @Test
    @DisplayName("the results it produced are committed beside it, under measured/")
    void resultsAreCommitted() throws Exception {
        ExperimentSpec s = spec();
        Path experiment = Path.of("measured/experiment.json");
        assertThat(experiment).as("measured/experiment.json: run ./flashlab experiment with --out lessons/06-experiments/measured")
                .exists();
        assertThat(Files.readString(experiment)).as("the experiment measured/ holds").contains("\"" + s.name() + "\"");
        assertThat(Path.of("measured/results.jsonl")).as("measured/results.jsonl, every run").exists();
    }
}
