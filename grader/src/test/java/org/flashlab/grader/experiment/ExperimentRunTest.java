package org.flashlab.grader.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.flashlab.cli.Cli;
import org.flashlab.server.JavaCommand;

/**
 * Experiments run for real: reference servers as child processes on loopback, results saved as
 * each run ends, reports written from them, and a run killed halfway resumed without repeating
 * what it had finished.
 */
class ExperimentRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    @BeforeAll
    static void kitHome() {
        System.setProperty("flashlab.home", Path.of("..").toAbsolutePath().normalize().toString());
    }

    static String spec(String name) {
        return Path.of("src/test/resources/experiments-test", name + ".yaml").toString();
    }

    static List<JsonNode> lines(Path dir, String type) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve(ResultStore.RESULTS))) {
            JsonNode n = JSON.readTree(l);
            if (type.equals(n.path("type").asText())) {
                lines.add(n);
            }
        }
        return lines;
    }

    @Test
    void everyServerIsMeasuredAtEveryPointAndABrokenOneIsReportedNotMeasured() throws Exception {
        int status = Cli.execute(new ExperimentCommand(), spec("tiny"), "--out", out.toString(), "--no-pin", "--plain");
        assertThat(status).as("a server failed its smoke checks").isEqualTo(1);
        List<JsonNode> runs = lines(out, "run");
        boolean nginx = External.installed("nginx");
        assertThat(runs).hasSize((nginx ? 3 : 2) * 2 * 2);
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.path("metrics").path("requestsPerSecond").asDouble()).isPositive();
            assertThat(r.path("load").path("errors").path("wrongBytes").asLong()).isZero();
        });
        // A B A B: each repetition's passes come one server after the other
        List<String> order = new ArrayList<>();
        for (int rep = 1; rep <= 2; rep++) {
            for (String server : nginx ? List.of("sped", "mt", "nginx") : List.of("sped", "mt")) {
                order.add(server + " " + rep);
                order.add(server + " " + rep);
            }
        }
        assertThat(runs).extracting(r -> r.path("server").asText() + " " + r.path("rep").asInt()).containsExactlyElementsOf(order);
        if (!nginx) {
            assertThat(lines(out, "skip")).extracting(s -> s.path("why").asText()).contains("nginx is not installed (apt-get install nginx-light)");
        }
        JsonNode broken = lines(out, "smoke").stream().filter(s -> s.path("server").asText().equals("broken")).findFirst()
                .orElseThrow();
        assertThat(broken.path("ok").asBoolean()).isFalse();
        assertThat(broken.path("why").asText()).startsWith("it did not start");
        String report = Files.readString(out.resolve("report.html"));
        assertThat(report).contains("Not measured: <b>broken</b>: failed the smoke checks: it did not start")
                .contains("both models answer");
        assertThat(Files.readString(out.resolve("experiment.log"))).contains("sped @ 1k run 1:");
        assertThat(out.resolve("summary.md")).exists();
        assertThat(out.resolve("results.csv")).exists();
    }

    @Test
    void aTraceRunsUnderTheKernelLimitsOrTheEmulatedDiskAndSaysWhich() throws Exception {
        int status = Cli.execute(new ExperimentCommand(), spec("disk"), "--out", out.toString(), "--no-pin", "--plain");
        assertThat(status).isZero();
        JsonNode settings = JSON.readTree(out.resolve(ResultStore.SETTINGS).toFile());
        String mode = settings.path("disk").path("mode").asText();
        assertThat(mode).isIn("kernel", "emulated");
        assertThat(settings.path("disk").path("note").asText())
                .containsAnyOf("cgroup", "no kernel limits here");
        assertThat(lines(out, "run")).hasSize(2).allSatisfy(r -> assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue());
        assertThat(settings.path("points").get(1).path("workload").asText()).startsWith("cs-like trace");
        assertThat(Files.readString(out.resolve("report.html"))).contains("disk: ");
    }

    @Test
    void theSampleSiteRunsInAnOpenLoopWithAnSla() throws Exception {
        int status = Cli.execute(new ExperimentCommand(), spec("site"), "--out", out.toString(), "--no-pin", "--plain");
        assertThat(status).isZero();
        JsonNode run = lines(out, "run").getFirst();
        assertThat(run.path("load").path("targetRate").asDouble()).isEqualTo(200);
        assertThat(run.path("metrics").has("slaViolationPercent")).isTrue();
        // a report regenerated from the folder alone says the same
        Files.delete(out.resolve("report.html"));
        assertThat(Cli.execute(new ReportCommand(), out.toString())).isZero();
        assertThat(out.resolve("report.html")).exists();
    }

    @Test
    void resultsOfOtherSettingsAreNotMixedIn() throws Exception {
        assertThat(Cli.execute(new ExperimentCommand(), spec("site"), "--out", out.toString(), "--no-pin", "--plain")).isZero();
        assertThat(Cli.execute(new ExperimentCommand(), spec("site"), "--profile", "check", "--out", out.toString(),
                "--no-pin", "--plain")).as("another profile into the same folder").isEqualTo(2);
        assertThat(Cli.execute(new ExperimentCommand(), spec("site"), "--profile", "check", "--out", out.toString(),
                "--no-pin", "--plain", "--fresh")).isZero();
        assertThat(Cli.execute(new ReportCommand(), out.resolve("nothing-here").toString())).isEqualTo(2);
    }

    @Test
    void anExperimentKilledMidRunResumesWithoutRepeatingFinishedRuns() throws Exception {
        List<String> cmd = JavaCommand.of(ExperimentCommand.class.getName(),
                List.of(spec("resume"), "--out", out.toString(), "--no-pin", "--plain"));
        cmd.add(1, "-Dflashlab.home=" + System.getProperty("flashlab.home"));
        Process first = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(out.getParent().resolve(out.getFileName() + "-first.log").toFile()).start();
        List<ProcessHandle> servers = new ArrayList<>();
        try {
            await("three runs saved").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
                first.descendants().forEach(servers::add);
                return Files.exists(out.resolve(ResultStore.RESULTS)) && lines(out, "run").size() >= 3;
            });
        } finally {
            first.destroy(); // SIGTERM, as Ctrl-C or a CI timeout would send
        }
        assertThat(first.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        await("the killed experiment's servers stopped").atMost(Duration.ofSeconds(30))
                .until(() -> servers.stream().noneMatch(ProcessHandle::isAlive));
        Map<String, String> finished = new HashMap<>();
        for (JsonNode r : lines(out, "run")) {
            finished.put(r.path("key").asText(), r.path("at").asText());
        }
        assertThat(finished.size()).isBetween(3, 11);

        int status = Cli.execute(new ExperimentCommand(), spec("resume"), "--out", out.toString(), "--no-pin", "--plain");
        assertThat(status).isZero();
        List<JsonNode> all = lines(out, "run");
        assertThat(all).hasSize(2 * 3 * 2);
        assertThat(all.stream().map(r -> r.path("key").asText()).distinct()).hasSize(12);
        for (JsonNode r : all) {
            String before = finished.get(r.path("key").asText());
            if (before != null) {
                assertThat(r.path("at").asText()).as("run %s was not measured again", r.path("key").asText()).isEqualTo(before);
            }
        }
        assertThat(Files.readString(out.resolve("experiment.log")))
                .contains("resuming: " + finished.size() + " of 12 runs were saved");
    }
}
