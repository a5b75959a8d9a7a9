package org.flashlab.lesson02.shared;

/**
 * Task 1: a counter that every serving thread updates: state shared across threads, the thing MT
 * gets cheaply and MP cannot have at all (lesson 01 had to add up reports from each process).
 *
 * {@code count = count + 1} is three steps, read, add and write, and a thread can be switched out
 * between any two of them. If two threads both read 41 before either writes, both write 42: one hit
 * is lost. The test makes exactly that happen: {@code betweenReadAndWrite} runs in the gap, and the
 * test uses it to pause one thread there while another increments.
 */
public final class HitCounter {
    private final Runnable betweenReadAndWrite;
    private long count;

    public HitCounter() {
        this(() -> { });
    }

    /** A counter that runs {@code betweenReadAndWrite} after reading the count and before writing it back. */
    public HitCounter(Runnable betweenReadAndWrite) {
        this.betweenReadAndWrite = betweenReadAndWrite;
    }

    /** Adds one. Safe to call from many threads at once. */
    public void increment() {
        // TODO Task 1: make this safe when many threads call it at once (README, "Task 1").
        long seen = count;
        betweenReadAndWrite.run(); // a context switch could happen here; the test makes one
        count = seen + 1;
    }

    /** The count. Safe to call from any thread. */
    public long get() {
        return count;
    }
}
