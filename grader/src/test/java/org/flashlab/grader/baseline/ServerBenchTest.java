package org.flashlab.grader.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;

import org.flashlab.grader.proc.ProcTree;
import org.flashlab.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark reads wrk's and ab's reports correctly, errors included. */
class ServerBenchTest {
    @TempDir
    Path dir;

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    @Test
    @Timeout(180)
    void benchmarksAModelAndNginxWithRealClients() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(onPath("wrk") && onPath("ab"),
                "needs wrk and ab (apt-get install wrk apache2-utils; .ci/run installs them)");
        Path table = dir.resolve("bench.md");
        int exit = Cli.commandLine(new ServerBench()).execute("--models", "sped", "--duration", "1", "--warmup", "1",
                "--connections", "8", "--markdown", table.toString());
        assertThat(exit).isZero();
        String markdown = Files.readString(table);
        String sped = markdown.lines().filter(l -> l.startsWith("| sped |")).findFirst().orElseThrow();
        assertThat(sped).as("the sped row has measured rates, not zeros").doesNotContain("| 0 (0.0");
        assertThat(sped).doesNotContain("errors");
        if (onPath("nginx")) {
            assertThat(markdown).contains("| nginx (1 worker) |");
            assertThat(sped).containsPattern("\\d\\.\\d\\dx");
        }
        assertThat(Cli.commandLine(new ServerBench()).execute("--models", "nope")).isNotZero();
    }

    @Test
    @Timeout(180)
    void calibratesTheGeneratorAgainstTheCTools() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(onPath("wrk") && onPath("ab") && onPath("nginx") && onPath("taskset"),
                "needs nginx, wrk, ab and taskset (.ci/run installs them)");
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream before = System.out;
        int exit;
        try {
            System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            exit = Cli.commandLine(new GeneratorCheck()).execute("--rounds", "1", "--duration", "1", "--warmup", "0",
                    "--connections", "4", "--light-connections", "2");
        } finally {
            System.setOut(before);
        }
        String report = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(exit).as(report).isZero();
        assertThat(report).containsPattern("round 1: new connections [1-9][0-9,]* vs ab [1-9][0-9,]* req/s")
                .containsPattern("keep-alive [1-9][0-9,]* vs wrk [1-9][0-9,]*").contains("median over 1 round:");
        assertThat(Cli.commandLine(new GeneratorCheck()).execute("--rounds", "0")).isEqualTo(2);
    }

    @Test
    void readsWrksMedian() {
        assertThat(GeneratorCheck.wrkMedianMillis("  Latency Distribution\n     50%  511.00us\n     75%  1.20ms\n")).isEqualTo(0.511);
        assertThat(GeneratorCheck.wrkMedianMillis("     50%    2.50ms\n")).isEqualTo(2.5);
        assertThat(GeneratorCheck.wrkMedianMillis("     50%    1.50s\n")).isEqualTo(1500.0);
        assertThat(GeneratorCheck.wrkMedianMillis("no distribution")).isZero();
    }

    @Test
    void readsWrk() {
        String wrk = """
                Running 5s test @ http://127.0.0.1:8080/f1k.bin
                  1 threads and 50 connections
                  Thread Stats   Avg      Stdev     Max   +/- Stdev
                    Latency     1.01ms  200.00us   5.00ms   90.00%
                    Req/Sec    50.00k     1.00k   52.00k    70.00%
                  250000 requests in 5.00s, 300.00MB read
                  Socket errors: connect 0, read 2, write 0, timeout 3
                  Non-2xx or 3xx responses: 7
                Requests/sec:  50000.50
                Transfer/sec:     60.00MB
                """;
        ServerBench.Measure m = ServerBench.parseWrk(wrk);
        assertThat(m.requestsPerSecond()).isCloseTo(50000.5, within(0.01));
        assertThat(m.megabytesPerSecond()).isCloseTo(60.0, within(0.01));
        assertThat(m.errors()).isEqualTo(12);
        assertThat(ServerBench.parseWrk("Requests/sec: 10\nTransfer/sec: 512.00KB\n").megabytesPerSecond())
                .isCloseTo(0.5, within(0.001));
    }

    @Test
    void readsAb() {
        String ab = """
                Complete requests:      1000
                Failed requests:        2
                Non-2xx responses:      1
                Requests per second:    2705.58 [#/sec] (mean)
                Transfer rate:          2048.00 [Kbytes/sec] received
                """;
        ServerBench.Measure m = ServerBench.parseAb(ab);
        assertThat(m.requestsPerSecond()).isCloseTo(2705.58, within(0.01));
        assertThat(m.megabytesPerSecond()).isCloseTo(2.0, within(0.001));
        assertThat(m.errors()).isEqualTo(3);
    }

    @Test
    void samplesThisProcessTree() {
        ProcTree me = ProcTree.sample(ProcessHandle.current());
        assertThat(me.processes()).isGreaterThanOrEqualTo(1);
        assertThat(me.threads()).isGreaterThan(1);
        assertThat(me.rssKb()).isPositive();
        assertThat(me.cpuTicks()).isPositive();
        ProcTree later = ProcTree.sample(ProcessHandle.current());
        assertThat(later.switchesPerSecondSince(me, 1.0)).isGreaterThanOrEqualTo(0);
        assertThat(later.switchesPerSecondSince(ProcTree.UNKNOWN, 1.0)).isEqualTo(-1);
    }
}
