package org.flashlab.lesson02;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Task 5: when is a context switch worth it? */
class ContextSwitchCostTest {
    private static final String HINT = " (hint: README, \"Task 5\")";

    @Test
    @DisplayName("switch when t_idle > 2 t_ctx_switch, and only then")
    void rule() {
        assertThat(ContextSwitchCost.worthSwitching(100, 5)).as("a 100 µs wait, 5 µs switches" + HINT).isTrue();
        assertThat(ContextSwitchCost.worthSwitching(10, 5)).as("a 10 µs wait, 5 µs switches: exactly two switches" + HINT).isFalse();
        assertThat(ContextSwitchCost.worthSwitching(10.5, 5)).as("a 10.5 µs wait, 5 µs switches" + HINT).isTrue();
        assertThat(ContextSwitchCost.worthSwitching(0, 5)).as("no wait at all: switching only wastes cycles" + HINT).isFalse();
    }

    @Test
    @DisplayName("the measurement gives a positive cost")
    void measures() throws InterruptedException {
        assertThat(ContextSwitchCost.measureSwitchMicros(1_000)).as("µs per switch over 1,000 round trips").isPositive();
    }
}
