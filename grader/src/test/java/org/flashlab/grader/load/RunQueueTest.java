package org.flashlab.grader.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class RunQueueTest {

    /** More busy threads than cores: some of them must wait for a CPU, and the count grows. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void countsTheTimeThreadsWaitForACpu() throws InterruptedException {
        long before = RunQueue.waitNanos(ProcessHandle.current());
        assertThat(before).isGreaterThanOrEqualTo(0);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> spinners = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors() + 2; i++) {
            spinners.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    Thread.onSpinWait();
                }
            }));
        }
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> RunQueue.waitNanos(ProcessHandle.current()) - before > 1_000_000);
        } finally {
            stop.set(true);
            for (Thread t : spinners) {
                t.join();
            }
        }
    }

    @Test
    void lateSendsOnABusyMachineAreBlamedOnTheMachine() {
        Histogram lag = new Histogram(3);
        for (int i = 0; i < 100; i++) {
            lag.recordValue(5_000); // every request 5 ms late
        }
        assertThat(new LoadResult.ScheduleKept(lag, 0, 12.5).warning(100))
                .contains("waited 12.5 ms a second for a CPU").contains("noisy");
        assertThat(new LoadResult.ScheduleKept(lag, 0, 0.0).warning(100))
                .contains("could not keep up");
        assertThat(new LoadResult.ScheduleKept(new Histogram(3), 0, 12.5).warning(100)).isNull();
    }
}
