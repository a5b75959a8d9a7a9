package org.flashlab.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flashlab.e2e.Support.QUICK;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `./flashlab experiment` and `./flashlab report` from a fresh copy, as the README shows them. */
class ExperimentVerbsTest {
    private static final Duration SLOW = Duration.ofMinutes(5);
    private final FreshCopy copy = FreshCopy.get();

    @Test
    @Verb("experiment")
    void experimentRunsAPresetAndWritesItsReports(@TempDir Path out) throws Exception {
        FreshCopy.Result list = copy.flashlab(QUICK, "experiment", "--list");
        assertThat(list.exit()).as(list.describe()).isZero();
        assertThat(list.stdout()).contains("paper", "single-file", "dataset-sweep", "wan", "latency-vs-load");

        FreshCopy.Result r = copy.flashlab(SLOW, "experiment", "idle-connections", "--profile", "check",
                "--out", out.toString());
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).contains("[1/4, ").contains("report: " + out.resolve("report.html"));
        assertThat(out.resolve("report.html")).exists();
        assertThat(Files.readString(out.resolve("summary.md"))).contains("with 5,000 idle connections, epoll ahead of poll");

        FreshCopy.Result again = copy.flashlab(QUICK, "experiment", "idle-connections", "--profile", "check",
                "--out", out.toString());
        assertThat(again.exit()).as(again.describe()).isZero();
        assertThat(again.stdout()).contains("resuming: 4 of 4 runs were saved").doesNotContain("[1/4, ");
    }

    @Test
    @Verb("report")
    void reportRewritesTheReportsFromSavedResults(@TempDir Path out) throws Exception {
        FreshCopy.Result r = copy.flashlab(SLOW, "experiment", "demo", "--profile", "check", "--out", out.toString());
        assertThat(r.exit()).as(r.describe()).isZero();
        Files.delete(out.resolve("report.html"));
        FreshCopy.Result report = copy.flashlab(QUICK, "report", out.toString());
        assertThat(report.exit()).as(report.describe()).isZero();
        assertThat(report.stdout()).contains("flashlab report: " + out.resolve("report.html"));
        assertThat(Files.readString(out.resolve("report.html"))).contains("echarts").contains("Demo: four reference models");

        FreshCopy.Result none = copy.flashlab(QUICK, "report", out.resolve("empty").toString());
        assertThat(none.exit()).as(none.describe()).isEqualTo(2);
        assertThat(none.stderr()).contains("holds no experiment results");
    }

    @Test
    void anInvalidSpecIsAUsageErrorThatNamesTheField(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("bad.yaml");
        Files.writeString(spec, "name: bad\nservers: [sped]\nworkload: {kind: bigfile}\n");
        FreshCopy.Result r = copy.flashlab(QUICK, "experiment", spec.toString());
        assertThat(r.exit()).as(r.describe()).isEqualTo(2);
        assertThat(r.stderrLines().getFirst()).as(r.describe())
                .endsWith("bad.yaml: field 'workload.kind' is 'bigfile'; it must be one of singleFile, trace, sampleSite");
        assertThat(r.stderrLines()).as("the error, then where to read more").hasSize(2);
    }
}
