package org.flashlab.grader.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workloads are deterministic from their seed and have the shapes they claim. */
class WorkloadTest {
    @TempDir
    Path dir;

    @Test
    void aDatasetIsTheSameForTheSameSeed() throws IOException {
        Dataset a = Dataset.surge(dir.resolve("a"), 2_000_000, 42);
        Dataset b = Dataset.surge(dir.resolve("b"), 2_000_000, 42);
        Dataset c = Dataset.surge(dir.resolve("c"), 2_000_000, 43);
        assertThat(a.files()).isEqualTo(b.files());
        assertThat(a.files()).isNotEqualTo(c.files());
        assertThat(a.totalBytes()).isEqualTo(2_000_000);
        for (Dataset.Entry e : a.files()) {
            Path fa = a.root().resolve(e.path().substring(1));
            assertThat(Files.size(fa)).isEqualTo(e.size());
            assertThat(Files.readAllBytes(fa)).isEqualTo(Files.readAllBytes(b.root().resolve(e.path().substring(1))));
        }
        Dataset single = Dataset.singleFile(dir.resolve("s"), 10_240, 1);
        assertThat(single.files()).containsExactly(new Dataset.Entry("/file-10240.bin", 10_240));
        assertThat(Files.size(dir.resolve("s/file-10240.bin"))).isEqualTo(10_240);
    }

    @Test
    void surgeSizesHaveALognormalBodyAndAHeavyTail() {
        SplittableRandom random = new SplittableRandom(7);
        long[] sizes = new long[100_000];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = Dataset.surgeSize(random);
        }
        Arrays.sort(sizes);
        long median = sizes[sizes.length / 2];
        assertThat(median).as("median near exp(9.357) = 11.6 KB").isBetween(9_000L, 16_000L);
        long top1percent = Arrays.stream(sizes, sizes.length - sizes.length / 100, sizes.length).sum();
        long all = Arrays.stream(sizes).sum();
        assertThat((double) top1percent / all).as("the largest 1% of files hold a large share of the bytes")
                .isGreaterThan(0.25);
    }

    @Test
    void zipfTracesFavourFewFilesAndAreReproducible() {
        Trace t = Trace.zipf(1000, 100_000, 1.0, 5);
        assertThat(t.requests()).isEqualTo(Trace.zipf(1000, 100_000, 1.0, 5).requests());
        int[] counts = new int[1000];
        for (int r : t.requests()) {
            counts[r]++;
        }
        int[] sorted = Arrays.stream(counts).sorted().toArray();
        int top = sorted[999];
        int second = sorted[998];
        int tenth = sorted[990];
        assertThat((double) top / second).as("rank 1 about twice rank 2 (1/k)").isBetween(1.5, 2.7);
        assertThat((double) top / tenth).as("rank 1 about ten times rank 10").isBetween(6.0, 15.0);
        assertThat(t.distinctFiles()).isLessThanOrEqualTo(1000);
        assertThatThrownBy(() -> Trace.zipf(0, 1, 1.0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void presetsSizeTheDatasetAgainstTheMemoryBudget() throws IOException {
        Preset.Workload owlnet = Preset.OWLNET.generate(dir.resolve("o"), 4_000_000, 1000, 9);
        Preset.Workload cs = Preset.CS.generate(dir.resolve("c"), 4_000_000, 1000, 9);
        assertThat(owlnet.dataset().totalBytes()).as("Owlnet fits in memory").isLessThan(4_000_000);
        assertThat(cs.dataset().totalBytes()).as("CS does not").isGreaterThan(4_000_000);
        assertThat(cs.trace().requests()).hasSize(1000);
        assertThat(Arrays.stream(cs.trace().requests()).max().orElseThrow()).isLessThan(cs.dataset().files().size());
    }

    @Test
    void readsTheShippedSampleLog() throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                WorkloadTest.class.getResourceAsStream("sample-access.log"), StandardCharsets.UTF_8))) {
            CommonLogFormat.Log log = CommonLogFormat.read(reader);
            assertThat(log.requests()).hasSize(7);
            assertThat(log.requests().getFirst()).isEqualTo(new CommonLogFormat.Request("/index.html", 2326));
            assertThat(log.skipped()).as("a 404, a POST and a 304").isEqualTo(3);
            assertThat(log.malformed()).isEqualTo(1);
        }
    }

    @Test
    void aReplayedLogBecomesADatasetAndATraceInTheLogsOrder() throws IOException {
        CommonLogFormat.Log log = CommonLogFormat.read(new BufferedReader(new java.io.StringReader("""
                a - - [08/Mar/1999:10:00:01 -0600] "GET /index.html HTTP/1.0" 200 100
                a - - [08/Mar/1999:10:00:02 -0600] "GET /docs/ HTTP/1.0" 200 50
                a - - [08/Mar/1999:10:00:03 -0600] "GET /index.html?x=1 HTTP/1.0" 200 120
                """)));
        Dataset d = Dataset.fromLog(dir, log, 5);
        assertThat(d.files()).containsExactly(new Dataset.Entry("/index.html", 120), new Dataset.Entry("/docs/index.html", 50));
        assertThat(d.traceOf(log).requests()).containsExactly(0, 1, 0);
        assertThat(java.nio.file.Files.size(d.paths().getFirst())).as("the largest size logged").isEqualTo(120);
        org.flashlab.grader.load.RequestMix mix = d.mix(d.traceOf(log));
        assertThat(mix.paths()).containsExactly("/index.html", "/docs/index.html");
        assertThat(mix.expected().get(1)).isEqualTo(org.flashlab.grader.load.Expected.ofFile(d.paths().get(1)));
        assertThat(mix.expected().get(1).length()).isEqualTo(50);
    }

    @Test
    void aLoggedPathThatCouldLeaveTheRootIsRefused() {
        assertThatThrownBy(() -> Dataset.normalise("/a/../../etc/passwd")).hasMessageContaining("cannot replay");
        assertThatThrownBy(() -> Dataset.normalise("/%2e%2e/x")).hasMessageContaining("cannot replay");
        assertThatThrownBy(() -> Dataset.normalise("http://elsewhere/")).hasMessageContaining("cannot replay");
        assertThat(Dataset.normalise("/ok/")).isEqualTo("/ok/index.html");
    }
}
