package org.flashlab.grader.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.flashlab.cli.Cli;
import org.flashlab.grader.load.Expected;
import org.flashlab.grader.load.LoadSpec;
import org.flashlab.grader.load.RequestMix;
import org.flashlab.reference.Main;
import org.flashlab.reference.process.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** The runner against real child processes: the reference server, one that dies, one that never starts. */
@Timeout(180)
class RunnerTest {
    @TempDir
    Path www;

    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
    private final Runner runner = new Runner(new PrintStream(progress, true, StandardCharsets.UTF_8));

    private static List<String> reference(String model) {
        return ChildJvm.plainCommand(Main.class, List.of("--model", model, "--port", "{port}", "--docroot", "{docroot}"));
    }

    private Runner.Plan plan(List<String> command, int repeat, Duration ready) throws IOException {
        Path file = Files.writeString(www.resolve("f.txt"), "y".repeat(2048));
        LoadSpec load = LoadSpec.closed(URI.create("http://127.0.0.1/")).withConnections(4, 1)
                .withDuration(Duration.ofMillis(700), Duration.ofMillis(200));
        return new Runner.Plan(new Runner.ServerCommand("under-test", command), www, load,
                RequestMix.single("/f.txt", Expected.ofFile(file)), repeat, Pinning.NONE, List.of(file), -1, false, ready);
    }

    @Test
    void repeatsAgainstTheReferenceServerAndSamplesItsProcessTree() throws Exception {
        Runner.Outcome o = runner.run(plan(reference("sped"), 2, Duration.ofSeconds(60)));
        assertThat(o.failures()).isEmpty();
        assertThat(o.repetitions()).hasSize(2);
        assertThat(o.errors()).isZero();
        assertThat(o.requestsPerSecond().n()).isEqualTo(2);
        assertThat(o.requestsPerSecond().mean()).isPositive();
        Runner.Repetition first = o.repetitions().getFirst();
        assertThat(first.load().bytes()).isEqualTo(2048 * first.load().requests());
        if (Files.isDirectory(Path.of("/proc/self"))) {
            assertThat(first.server().processes()).isEqualTo(1);
            assertThat(first.server().threads()).isPositive();
            assertThat(first.server().rssKb()).isPositive();
            assertThat(first.server().cpuCores()).isGreaterThanOrEqualTo(0);
        }
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("under-test run 1:", "under-test run 2:", "req/s");
    }

    @Test
    void aServerThatDiesSpoilsItsOwnRunsAndIsReportedEachTime() throws Exception {
        // Ready, then gone at its first connection: the runner must say so and carry on.
        List<String> dies = ChildJvm.plainCommand(DyingServer.class, List.of());
        Runner.Outcome o = runner.run(plan(dies, 2, Duration.ofSeconds(60)));
        assertThat(o.repetitions()).hasSize(2);
        assertThat(o.failures()).hasSize(2).allSatisfy(f -> assertThat(f).contains("exited", "status 3", "segfault, say"));
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("under-test run 1: FAILED", "under-test run 2: FAILED");
        assertThat(o.requestsPerSecond().n()).isZero();
    }

    @Test
    void aServerThatFailsToStartIsReportedAndTheOtherRunsStillHappen() throws Exception {
        Path marker = www.resolve("started-once");
        // The first start fails before it is ready, as a server whose port is taken does; later
        // starts are the real server.
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                "if [ ! -e '" + marker + "' ]; then touch '" + marker + "'; echo 'address already in use'; exit 4; fi; "
                        + "exec \"$0\" \"$@\""));
        command.addAll(reference("sped"));
        Runner.Outcome o = runner.run(plan(command, 2, Duration.ofSeconds(60)));
        assertThat(o.failures()).singleElement().asString().contains("run 1", "did not start", "status 4",
                "address already in use");
        assertThat(o.repetitions().get(1).ok()).isTrue();
        assertThat(o.requestsPerSecond().n()).isEqualTo(1);
    }

    @Test
    void aServerThatAnswersNothingRightIsReportedAndStartedAgain() throws Exception {
        // The reference server on an empty docroot: alive, but every answer is a 404.
        Path empty = java.nio.file.Files.createDirectories(www.resolve("empty"));
        List<String> command = reference("sped").stream().map(a -> a.equals("{docroot}") ? empty.toString() : a).toList();
        Runner.Outcome o = runner.run(plan(command, 2, Duration.ofSeconds(60)));
        assertThat(o.failures()).hasSize(2).allSatisfy(f -> assertThat(f).contains("not one correct answer", "bad status"));
    }

    @Test
    void theCommandReplaysTheSampleLogAndWritesJson() throws Exception {
        Path json = www.resolve("run.json");
        int exit = Cli.commandLine(new RunCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(
                "--workload", "log", "--no-pin", "-n", "1", "-c", "2", "-d", "0.7", "-w", "0.2",
                "--dir", www.resolve("data").toString(), "--json", json.toString());
        assertThat(exit).isZero();
        JsonNode point = new ObjectMapper().readTree(json.toFile()).get("points").get(0);
        assertThat(point.get("workload").asText()).contains("7 requests over 6 files", "3 lines skipped", "1 not CLF");
        assertThat(point.get("runs").get(0).get("load").get("requests").asLong()).isPositive();
        assertThat(point.get("runs").get(0).get("load").get("errors").get("wrongBytes").asLong()).isZero();
        assertThat(point.get("requestsPerSecond").get("n").asInt()).isEqualTo(1);
    }

    @Test
    void badUsageHasExitStatusTwo() {
        CommandLine cli = Cli.commandLine(new RunCommand());
        assertThat(cli.execute("--no-pin", "--size", "ten")).isEqualTo(2);
        assertThat(cli.execute("--no-pin", "--model", "nonsense")).isEqualTo(2);
        assertThat(Cli.commandLine(new RunCommand()).execute("--no-pin", "-n", "0")).isEqualTo(2);
        assertThat(Cli.commandLine(new RunCommand()).execute("--no-pin", "--disk-mbps", "20"))
                .as("a throttle needs the kernel's limits").isEqualTo(2);
        assertThat(Cli.commandLine(new RunCommand()).execute("--no-pin", "--kernel-limits", "--evict"))
                .as("two ways to hold the budget at once").isEqualTo(2);
        assertThat(RunCommand.parseSize("1k")).isEqualTo(1024);
        assertThat(RunCommand.parseSize("2m")).isEqualTo(2L * 1024 * 1024);
        assertThat(RunCommand.parseSize("0")).isZero();
    }

    /**
     * Under the kernel's limits the server runs in its own group: the run says so, reports the
     * group's peak against the limit, caps the reference server's heap, and leaves no group behind.
     */
    @Test
    void underKernelLimitsTheRunReportsTheGroupsPeakAndCleansUp() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.flashlab.grader.disk.KernelLimits.probe().usable(),
                "cgroups are not usable here");
        Path json = www.resolve("run.json");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = Cli.commandLine(new RunCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(
                    "--workload", "log", "--no-pin", "--kernel-limits", "--memory-budget", "256", "-n", "1", "-c", "2",
                    "-d", "0.7", "-w", "0.2", "--dir", www.resolve("data").toString(), "--json", json.toString());
        } finally {
            System.setOut(old);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        assertThat(out).contains("kernel limits (cgroup", "memory 256 MB including page cache", "-Xmx32m",
                "kernel limit: peak");
        JsonNode run = new ObjectMapper().readTree(json.toFile()).get("points").get(0).get("runs").get(0);
        assertThat(run.get("kernelLimit").get("limitBytes").asLong()).isEqualTo(256L * 1024 * 1024);
        assertThat(run.get("kernelLimit").get("peakBytes").asLong()).isPositive().isLessThanOrEqualTo(256L * 1024 * 1024);
        String mine = "flashlab-" + ProcessHandle.current().pid() + "-";
        try (var groups = Files.list(Path.of("/sys/fs/cgroup/memory").toFile().exists()
                ? Path.of("/sys/fs/cgroup/memory") : Path.of("/sys/fs/cgroup"))) {
            assertThat(groups.map(g -> g.getFileName().toString()).filter(n -> n.startsWith(mine)))
                    .as("every group removed").isEmpty();
        }
    }
}
