package org.flashlab.lesson02;

import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Task 5: "are threads useful?" On one CPU, a thread that must wait t_idle hides that wait only if
 * switching away and back costs less: t_idle > 2 * t_ctx_switch (one switch out, one back in).
 *
 * Run it as a program on one core, so that every hand-off is a real context switch:
 * <pre>  taskset -c 0 java -cp lessons/02-mt/target/classes org.flashlab.lesson02.ContextSwitchCost</pre>
 * Two threads hand a token back and forth (park and unpark); a round trip is two switches.
 */
public final class ContextSwitchCost {
    private ContextSwitchCost() {}

    /**
     * True when switching to another thread while this one waits is worth it: the wait is longer
     * than the two switches it costs.
     */
    public static boolean worthSwitching(double idleMicros, double switchMicros) {
        throw new UnsupportedOperationException("Task 5 is not done yet: ContextSwitchCost.worthSwitching (README, \"Task 5\")");
    }

    /** Measures the cost of one switch, in microseconds, over {@code rounds} round trips. */
    public static double measureSwitchMicros(int rounds) throws InterruptedException {
        Thread main = Thread.currentThread();
        turn = 0;
        Thread other = Thread.ofPlatform().name("ping-pong").start(() -> {
            for (int i = 0; i < rounds; i++) {
                while (turn != 1) {
                    LockSupport.park();
                }
                turn = 0;
                LockSupport.unpark(main);
            }
        });
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            turn = 1;
            LockSupport.unpark(other);
            while (turn != 0) {
                LockSupport.park();
            }
        }
        long elapsed = System.nanoTime() - start;
        other.join();
        return elapsed / 1000.0 / (2.0 * rounds);
    }

    /** Whose move it is: 1 the other thread's, 0 main's. Volatile, so that each sees the other's write. */
    private static volatile int turn;

    public static void main(String[] args) throws InterruptedException {
        measureSwitchMicros(20_000); // warm up: compile the loops before timing them
        double micros = measureSwitchMicros(200_000);
        System.out.printf(Locale.ROOT, "one context switch (a hand-off between two threads): %.2f µs%n", micros);
        for (double idle : new double[] {1, 10, 100, 10_000}) {
            System.out.printf(Locale.ROOT, "a wait of %,8.0f µs: %s%n", idle,
                    worthSwitching(idle, micros) ? "switch to another thread" : "not worth a switch: keep the CPU");
        }
    }
}
