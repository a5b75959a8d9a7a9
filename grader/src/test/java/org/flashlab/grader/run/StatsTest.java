package org.flashlab.grader.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void meanMedianAndAStudentTInterval() {
        Stats s = Stats.of(1, 2, 3, 4, 10);
        assertThat(s.n()).isEqualTo(5);
        assertThat(s.mean()).isEqualTo(4.0);
        assertThat(s.median()).isEqualTo(3.0);
        // sd = 3.536, t(0.975, 4 df) = 2.776: half-width 2.776 * 3.536 / sqrt(5) = 4.390
        assertThat(s.high() - s.mean()).isCloseTo(4.390, within(0.001));
        assertThat(s.mean() - s.low()).isCloseTo(4.390, within(0.001));
        assertThat(s.format("%.1f")).isEqualTo("4.0 ± 4.4 (median 3.0, min 1.0, max 10.0, n=5)");
        assertThat(s.tooWide()).as("a half-width of 4.4 exceeds the mean of 4.0").isTrue();
    }

    @Test
    void twoRunsThatDisagreeAreFlaggedWithTheirRange() {
        // The issue's own case: two runs, t(0.975, 1 df) = 12.71, so even close runs give a huge interval.
        Stats s = Stats.of(3_000, 15_830);
        assertThat(s.tooWide()).isTrue();
        assertThat(s.format("%,.0f")).contains("min 3,000").contains("max 15,830");
        Stats steady = Stats.of(9_400, 9_415, 9_430, 9_410, 9_420);
        assertThat(steady.tooWide()).isFalse();

        Map<String, Stats> metrics = new LinkedHashMap<>();
        metrics.put("req/s", s);
        metrics.put("p50 ms", Stats.of(0.39, 0.40));
        String lines = RunCommand.summaryLines(metrics, 0);
        assertThat(lines).contains("req/s    9,415 ± ").contains("errors   0")
                .contains("note: the 95% confidence interval of req/s is wider than the mean")
                .contains("-n 5 or more");
        metrics.put("req/s", steady);
        assertThat(RunCommand.summaryLines(metrics, 0)).doesNotContain("note:");
    }

    @Test
    void oneRunHasNoIntervalAndNoRunsHaveNothing() {
        assertThat(Stats.of(7).format("%.0f")).isEqualTo("7 (one run: no interval)");
        assertThat(Stats.of().format("%.0f")).isEqualTo("no successful runs");
        assertThat(Stats.of(5, 5, 5).high()).as("no spread, no width").isEqualTo(5.0);
    }
}
