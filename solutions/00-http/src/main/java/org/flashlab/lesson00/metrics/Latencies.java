package org.flashlab.lesson00.metrics;

import java.util.Arrays;

/**
 * Task 4: the numbers a load generator reports, computed from what it measured. A client cares about
 * response time (the mean hides the slow requests, so we look at percentiles); an operator cares
 * about throughput (requests per second the machine sustains). The kit's own `flashlab bench`
 * prints exactly these, and the README asks you to read its output with them in mind.
 */
public final class Latencies {
    private final long[] sorted; // microseconds, ascending
    private final double seconds;

    /**
     * @param micros  the response time of every request, in microseconds, in any order
     * @param seconds how long the measurement lasted
     */
    public Latencies(long[] micros, double seconds) {
        if (micros.length == 0 || seconds <= 0) {
            throw new IllegalArgumentException("need at least one request and a positive duration");
        }
        this.sorted = micros.clone();
        Arrays.sort(this.sorted);
        this.seconds = seconds;
    }

    /** Requests completed per second. */
    public double throughput() {
        // BEGIN SOLUTION
        return sorted.length / seconds;
        // STARTER
        // throw new UnsupportedOperationException("Task 4 is not done yet: Latencies.throughput (README, \"Task 4\")");
        // END SOLUTION
    }

    /** The arithmetic mean of the response times. */
    public double mean() {
        // BEGIN SOLUTION
        double sum = 0;
        for (long micros : sorted) {
            sum += micros;
        }
        return sum / sorted.length;
        // STARTER
        // throw new UnsupportedOperationException("Task 4 is not done yet: Latencies.mean (README, \"Task 4\")");
        // END SOLUTION
    }

    /**
     * The p-th percentile by the nearest-rank method: the smallest response time such that at least
     * p percent of all requests took no longer. percentile(100) is the slowest request.
     *
     * @param p in (0, 100]
     */
    public long percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile is in (0, 100]: " + p);
        }
        // BEGIN SOLUTION
        // p * n first: p / 100 * n would round 7 / 100 * 100 up to 8.
        int rank = (int) Math.ceil(p * sorted.length / 100.0); // 1-based
        return sorted[rank - 1];
        // STARTER
        // // TODO Task 4: the nearest-rank method (README, "Task 4"); sorted[] is in ascending order.
        // throw new UnsupportedOperationException("Task 4 is not done yet: Latencies.percentile (README, \"Task 4\")");
        // END SOLUTION
    }
}
