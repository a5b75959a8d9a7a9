package org.flashlab.lesson02.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Task 1: the race, made to happen every time. Thread A pauses between its read and its write;
 * while it is paused, thread B increments. Unsynchronized, B reads the same old value and one of the
 * two increments is lost; with a lock, B waits until A is done, and the count is 2.
 */
@Timeout(60)
class HitCounterTest {
    private static final String HINT = " (hint: README, \"Task 1\")";

    private static boolean waitingForALock(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.BLOCKED || s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    @Test
    @DisplayName("an increment paused between its read and its write loses nothing to another thread's")
    void noLostUpdate() throws InterruptedException {
        AtomicInteger inGap = new AtomicInteger();
        AtomicReference<Thread> b = new AtomicReference<>();
        AtomicReference<HitCounter> counter = new AtomicReference<>();
        counter.set(new HitCounter(() -> {
            if (inGap.incrementAndGet() == 1) { // thread A, the first one in the gap: let B run now
                Thread other = Thread.ofPlatform().name("thread-B").start(() -> counter.get().increment());
                b.set(other);
                // Wait until B is either in the gap too (the race) or held at a lock (no race), or done.
                await("thread B to reach the gap or a lock").atMost(Duration.ofSeconds(30))
                        .until(() -> inGap.get() == 2 || waitingForALock(other) || !other.isAlive());
            }
        }));
        counter.get().increment(); // thread A
        Thread other = b.get();
        if (other != null) {
            other.join();
        } else {
            counter.get().increment(); // the gap was never used (an atomic counter, say): B goes after A
        }
        assertThat(counter.get().get())
                .as("the count after two increments, one of them made while the other was paused between its "
                        + "read and its write (1 means an update was lost: both read the same value)" + HINT)
                .isEqualTo(2);
    }

    @Test
    @DisplayName("8 threads x 10,000 increments count 80,000")
    void manyThreads() throws InterruptedException {
        HitCounter counter = new HitCounter();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int j = 0; j < 10_000; j++) {
                    counter.increment();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(counter.get()).as("the count after 80,000 increments from 8 threads" + HINT).isEqualTo(80_000);
    }
}
