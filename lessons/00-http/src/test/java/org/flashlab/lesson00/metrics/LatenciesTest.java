package org.flashlab.lesson00.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Task 4: the metrics a load generator reports. */
class LatenciesTest {
    private static final String HINT = " (hint: README, \"Task 4\")";

    /** 1, 2, ..., 100 microseconds, shuffled: the k-th percentile is k. */
    private static Latencies oneToHundred() {
        long[] micros = new long[100];
        for (int i = 0; i < 100; i++) {
            micros[i] = (i * 37) % 100 + 1; // 37 and 100 are coprime: every value once, out of order
        }
        return new Latencies(micros, 2.0);
    }

    @Test
    @DisplayName("throughput is requests per second")
    void throughput() {
        assertThat(oneToHundred().throughput()).as("100 requests in 2 s" + HINT).isCloseTo(50.0, within(1e-9));
    }

    @Test
    @DisplayName("the mean of 1..100 is 50.5")
    void mean() {
        assertThat(oneToHundred().mean()).as("mean of 1..100 µs" + HINT).isCloseTo(50.5, within(1e-9));
    }

    @Test
    @DisplayName("nearest-rank percentiles of 1..100: p50 = 50, p95 = 95, p99 = 99, p100 = 100, p7 = 7")
    void percentiles() {
        Latencies l = oneToHundred();
        assertThat(l.percentile(50)).as("p50" + HINT).isEqualTo(50);
        assertThat(l.percentile(95)).as("p95" + HINT).isEqualTo(95);
        assertThat(l.percentile(99)).as("p99" + HINT).isEqualTo(99);
        assertThat(l.percentile(100)).as("p100, the slowest request" + HINT).isEqualTo(100);
        assertThat(l.percentile(7)).as("p7 (watch the rounding: 7 / 100 * 100 is not 7 in floating point)" + HINT)
                .isEqualTo(7);
    }

    @Test
    @DisplayName("one slow request in 100 moves the maximum and the mean, not the median: why we report percentiles")
    void oneSlowRequest() {
        long[] micros = new long[100];
        java.util.Arrays.fill(micros, 100);
        micros[42] = 1_000_000; // one request waited a whole second
        Latencies l = new Latencies(micros, 1.0);
        assertThat(l.percentile(50)).as("the median" + HINT).isEqualTo(100);
        assertThat(l.percentile(100)).as("the maximum" + HINT).isEqualTo(1_000_000);
        assertThat(l.mean()).as("the mean, dragged up by one request" + HINT).isCloseTo(10_099.0, within(1e-6));
    }

    @Test
    @DisplayName("no requests, no time, or a percentile outside (0, 100] is a mistake, refused at once")
    void refusesNonsense() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Latencies(new long[0], 1.0))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Latencies(new long[] {1}, 0.0))
                .isInstanceOf(IllegalArgumentException.class);
        Latencies l = new Latencies(new long[] {1, 2}, 1.0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> l.percentile(0)).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> l.percentile(100.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("small samples: with 3 requests, p50 is the 2nd and p90 the 3rd")
    void smallSample() {
        Latencies l = new Latencies(new long[] {30, 10, 20}, 1.0);
        assertThat(l.percentile(50)).as("p50 of 10, 20, 30" + HINT).isEqualTo(20);
        assertThat(l.percentile(90)).as("p90 of 10, 20, 30" + HINT).isEqualTo(30);
        assertThat(l.percentile(1)).as("p1 of 10, 20, 30" + HINT).isEqualTo(10);
    }
}
