package org.flashlab.grader.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
        assertThat(s.format("%.1f")).isEqualTo("4.0 ± 4.4 (median 3.0, n=5)");
    }

    @Test
    void oneRunHasNoIntervalAndNoRunsHaveNothing() {
        assertThat(Stats.of(7).format("%.0f")).isEqualTo("7 (one run: no interval)");
        assertThat(Stats.of().format("%.0f")).isEqualTo("no successful runs");
        assertThat(Stats.of(5, 5, 5).high()).as("no spread, no width").isEqualTo(5.0);
    }
}
