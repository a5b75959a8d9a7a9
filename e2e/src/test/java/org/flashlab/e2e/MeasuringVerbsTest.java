package org.flashlab.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flashlab.e2e.Support.QUICK;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.flashlab.contract.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grader's measuring verbs, with short durations: each one once as the README shows it, which is
 * what failed for every new user when a jar was missing from grader/target/lib.
 */
class MeasuringVerbsTest {
    private static final Duration SLOW = Duration.ofMinutes(5);
    private final FreshCopy copy = FreshCopy.get();

    @Test
    @Verb("bench")
    void benchLoadsAServerAndExplainsItsNumbers(@TempDir Path out) throws Exception {
        ServerProcess server = Support.start(copy, "server", "--model", "sped", "--port", "0", "--docroot", "server/sample-site");
        try {
            Path json = out.resolve("bench.json");
            FreshCopy.Result r = copy.flashlab(QUICK, "bench", "-c", "2", "-t", "1", "-d", "1", "-w", "0",
                    "--json", json.toString(), "http://127.0.0.1:" + server.port() + "/index.html");
            assertThat(r.exit()).as(r.describe()).isZero();
            assertThat(r.stdout()).contains("Requests/sec:")
                    .contains("Connections/sec:").contains("near 0 with keep-alive")
                    .contains("SLA violations:").contains("slower than --sla 100 ms");
            assertThat(Files.readString(json)).contains("\"requestsPerSecond\"");
        } finally {
            Support.stop(server);
        }
    }

    @Test
    void benchAtAPortWhereNothingListensExitsThree() throws Exception {
        FreshCopy.Result r = copy.flashlab(QUICK, "bench", "-d", "1", "-w", "0", "http://127.0.0.1:" + Support.closedPort() + "/");
        assertThat(r.exit()).as(r.describe()).isEqualTo(3);
        assertThat(r.stderrLines()).as(r.describe()).hasSize(1);
    }

    @Test
    @Verb("run")
    void runMeasuresAReferenceModel() {
        FreshCopy.Result r = copy.flashlab(SLOW, "run", "--model", "sped", "--workload", "single", "-n", "1", "-d", "1", "-w", "1");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).contains("single file of 1k bytes").contains("1 run each").contains("1 process,")
                .containsPattern("req/s +[\\d,]+ \\(one run: no interval\\)").contains("errors   0");
    }

    @Test
    void runMeasuresAnyServerCommandAfterTheDoubleDash(@TempDir Path out) throws Exception {
        Path json = out.resolve("run.json");
        FreshCopy.Result r = copy.flashlab(SLOW, "run", "--workload", "log", "-n", "2", "-d", "1", "-w", "0",
                "--json", json.toString(), "--", "./flashlab", "server", "--model", "sped", "--port", "{port}",
                "--docroot", "{docroot}");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).contains("flashlab run: flashlab,").contains("2 runs each")
                .containsPattern("req/s +[\\d,]+ ± [\\d,]+ \\(median [\\d,]+, min [\\d,]+, max [\\d,]+, n=2\\)");
        assertThat(Files.readString(json)).contains("\"requestsPerSecond\"");
    }

    @Test
    @Verb("server-bench")
    void serverBenchMeasuresAModelBesideNginx() {
        Support.requireTools("wrk", "ab", "nginx", "taskset");
        FreshCopy.Result r = copy.flashlab(SLOW, "server-bench", "--models", "sped", "--duration", "1", "--warmup", "1");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).contains("| sped |").contains("| nginx (1 worker) |").contains("x nginx");
    }

    @Test
    @Verb("generator-check")
    void generatorCheckComparesTheGeneratorWithWrkAndAb() {
        Support.requireTools("wrk", "ab", "nginx", "taskset");
        FreshCopy.Result r = copy.flashlab(SLOW, "generator-check", "--rounds", "1", "--duration", "1", "--warmup", "0");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).contains("round 1:").contains("median over 1 round:").contains("x wrk")
                .contains("open loop: achieved at most its target, with every slot answered or counted as an error");
    }
}
