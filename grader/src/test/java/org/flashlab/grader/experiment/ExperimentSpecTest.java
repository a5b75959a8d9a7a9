package org.flashlab.grader.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

import org.flashlab.grader.experiment.ExperimentSpec.InvalidSpec;

class ExperimentSpecTest {

    static final java.util.List<String> PRESETS = ExperimentSpec.PRESET_NAMES;

    static ExperimentSpec parse(String yaml) throws Exception {
        return ExperimentSpec.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    @ParameterizedTest
    @FieldSource("PRESETS")
    void everyPresetLoadsAndResolvesItsProfiles(String name) throws Exception {
        ExperimentSpec s = ExperimentSpec.load(name);
        assertThat(s.name()).isEqualTo(name);
        assertThat(s.title()).isNotBlank();
        if (s.include() == null) {
            for (String profile : s.profileNames()) {
                ExperimentSpec.Resolved r = s.resolve(profile);
                assertThat(r.points()).isNotEmpty();
                assertThat(r.repetitions()).isPositive();
            }
            assertThat(s.resolve("check").repetitions()).isEqualTo(1);
        } else {
            for (String child : s.include()) {
                assertThat(ExperimentSpec.load(child).include()).isNull();
            }
        }
    }

    @Test
    void thePaperPresetHoldsTheFiveExperimentsAndTheirFigures() throws Exception {
        ExperimentSpec paper = ExperimentSpec.load("paper");
        assertThat(paper.include()).containsExactly("single-file", "traces", "dataset-sweep", "optimizations", "wan");
        java.util.List<String> figures = new java.util.ArrayList<>();
        for (String c : paper.include()) {
            figures.addAll(ExperimentSpec.load(c).figures());
        }
        assertThat(figures).containsExactly("6", "7", "8", "9 and 10", "11", "12");
    }

    @Test
    void serversMayBeNamedByModelAloneAndJsonIsAccepted() throws Exception {
        ExperimentSpec s = ExperimentSpec.parse(new ByteArrayInputStream("""
                {"name": "j", "servers": ["sped", {"model": "mp", "options": ["--workers", "2"], "label": "mp2"}],
                 "sweep": {"parameter": "fileSize", "values": ["1k", "2k"]}}
                """.getBytes(StandardCharsets.UTF_8)), "j.json");
        assertThat(s.servers()).extracting(ExperimentSpec.ServerSpec::displayLabel).containsExactly("sped", "mp2");
        assertThat(s.resolve("quick").points()).containsExactly("1k", "2k");
        assertThat(s.chartKind()).isEqualTo(ExperimentSpec.Chart.lines);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            unknown top-level field     | {name: x, servers: [sped], colour: red}                          | unknown field 'colour'; allowed there: chart, disk, durationSeconds
            unknown nested field        | {name: x, servers: [sped], workload: {kind: singleFile, conns: 3}} | unknown field 'workload.conns'; allowed there: connections, datasetMb
            bad enum names the values   | {name: x, servers: [sped], workload: {kind: bigfile}}            | field 'workload.kind' is 'bigfile'; it must be one of singleFile, trace, sampleSite
            bad metric                  | {name: x, servers: [sped], metrics: [speed]}                     | field 'metrics[0]' is 'speed'; it must be one of requestsPerSecond
            unknown model               | {name: x, servers: [fast]}                                       | servers[0].model is 'fast'; it must be one of iterative, mp
            no servers                  | {name: x}                                                        | field 'servers' must list at least one server
            missing name                | {servers: [sped]}                                                | field 'name' is required
            two kinds of server         | {name: x, servers: [{model: sped, external: nginx}]}             | servers[0] must have exactly one of model, lesson, external, command
            same label twice            | {name: x, servers: [sped, sped]}                                 | servers[1] has the same label as another server ('sped'): give it a 'label'
            unknown external            | {name: x, servers: [{external: zeus}]}                           | servers[0].external is 'zeus'; it must be one of nginx, apache2-prefork, apache2-event
            command without port        | {name: x, servers: [{command: [my-server]}]}                     | servers[0].command must be a non-empty list that contains {port}
            bad lesson                  | {name: x, servers: [{lesson: three}]}                            | servers[0].lesson is 'three'; it must be a lesson's two-digit number
            bad size                    | {name: x, servers: [sped], sweep: {parameter: fileSize, values: [big]}} | field 'sweep.values' holds 'big'; a size is bytes, or a number with k or m
            bad count                   | {name: x, servers: [sped], sweep: {parameter: connections, values: [many]}} | field 'sweep.values' holds 'many'; it must be a whole number
            sweep without values        | {name: x, servers: [sped], sweep: {parameter: connections}}      | field 'sweep.values' must list at least one value for parameter connections
            dataset sweep on one file   | {name: x, servers: [sped], sweep: {parameter: datasetMb, values: ['1']}} | sweeping datasetMb needs workload.kind trace
            disk on one file            | {name: x, servers: [sped], disk: {mode: emulated}}               | field 'disk.mode' emulated is for trace workloads
            claim names a stranger      | {name: x, servers: [sped], expect: [{name: c, order: 'sped > zeus'}]} | expect[0] names 'zeus', which is not a server here; servers: sped
            claim of two kinds          | {name: x, servers: [sped, amped], expect: [{name: c, order: 'sped > amped', ratio: {of: sped, over: amped, atLeast: 1}}]} | expect[0] must have exactly one of order, ratio, shape
            claim at an unmeasured value | {name: x, servers: [sped, amped], sweep: {parameter: fileSize, values: [1k]}, expect: [{name: c, at: 2k, order: 'sped > amped'}]} | expect[0].at is '2k'; it must be smallest, largest or one of sweep.values
            wrong shape                 | {name: x, servers: sped}                                         | field 'servers' has the wrong shape: it must be a list
            round trip in an open loop  | {name: x, servers: [sped], workload: {rate: 100, roundTripMs: 20}} | 'workload.roundTripMs' needs a closed loop over persistent connections
            not yaml                    | {name: [unclosed                                                 | not valid YAML or JSON
            """)
    void anInvalidSpecIsNamedWithItsFieldAndTheAllowedValues(String what, String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(InvalidSpec.class).hasMessageStartingWith("test.yaml: ")
                .hasMessageContaining(message);
    }

    @Test
    void anUnknownProfileListsTheKnownOnes() throws Exception {
        ExperimentSpec s = ExperimentSpec.load("single-file");
        assertThatThrownBy(() -> s.resolve("huge")).isInstanceOf(InvalidSpec.class)
                .hasMessageContaining("no profile 'huge'; this spec has quick, full, check");
    }

    @Test
    void neitherAFileNorAPresetIsRefusedWithThePresetsListed() {
        assertThatThrownBy(() -> ExperimentSpec.load("no-such-thing")).isInstanceOf(InvalidSpec.class)
                .hasMessageContaining("neither a spec file nor a preset; presets: paper, single-file");
    }

    @Test
    void theIdentityChangesWithTheProfile() throws Exception {
        ExperimentSpec s = ExperimentSpec.load("wan");
        assertThat(s.resolve("quick").identity()).isNotEqualTo(s.resolve("full").identity());
        assertThat(s.resolve("quick").identity()).isEqualTo(ExperimentSpec.load("wan").resolve("quick").identity());
    }
}
