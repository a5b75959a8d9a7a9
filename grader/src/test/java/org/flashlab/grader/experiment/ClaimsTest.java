package org.flashlab.grader.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import org.flashlab.grader.experiment.Claims.Outcome;
import org.flashlab.grader.run.Stats;

class ClaimsTest {
    private static final Stats HIGH = Stats.of(100, 101, 99);
    private static final Stats HIGH_TOO = Stats.of(100, 102, 98);
    private static final Stats LOW = Stats.of(50, 51, 49);
    private static final Stats WIDE = Stats.of(40, 160, 100);

    @Test
    void strictlyAheadHoldsOnlyWhenTheIntervalsSeparate() {
        assertThat(Claims.compare(HIGH, LOW, ">")).isEqualTo(Outcome.HELD);
        assertThat(Claims.compare(LOW, HIGH, ">")).isEqualTo(Outcome.DID_NOT_HOLD);
        assertThat(Claims.compare(HIGH, WIDE, ">")).isEqualTo(Outcome.NOT_DISTINGUISHABLE);
    }

    @Test
    void atLeastFailsOnlyWhenTheOtherIsClearlyAhead() {
        assertThat(Claims.compare(HIGH, HIGH_TOO, ">=")).isEqualTo(Outcome.HELD);
        assertThat(Claims.compare(LOW, HIGH, ">=")).isEqualTo(Outcome.DID_NOT_HOLD);
    }

    @Test
    void aboutEqualHoldsWhenIntervalsOverlapOrMeansAreWithinTenPercent() {
        assertThat(Claims.compare(HIGH, HIGH_TOO, "~")).isEqualTo(Outcome.HELD);
        assertThat(Claims.compare(Stats.of(100, 100.5, 99.5), Stats.of(93, 93.5, 92.5), "~")).isEqualTo(Outcome.HELD);
        assertThat(Claims.compare(HIGH, LOW, "~")).isEqualTo(Outcome.DID_NOT_HOLD);
    }

    @Test
    void oneRunComparesMeans() {
        assertThat(Claims.compare(Stats.of(10), Stats.of(5), ">")).isEqualTo(Outcome.HELD);
        assertThat(Claims.compare(Stats.of(5), Stats.of(10), ">")).isEqualTo(Outcome.DID_NOT_HOLD);
    }

    @Test
    void anOrderNamesItsServersBestFirst() {
        assertThat(Claims.orderServers("sped ~ amped > mt >= mp")).containsExactly("sped", "amped", "mt", "mp");
        assertThat(Claims.orderServers("all on > path cache only")).containsExactly("all on", "path cache only");
    }
}
