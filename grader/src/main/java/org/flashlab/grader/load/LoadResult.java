package org.flashlab.grader.load;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * What one load run measured. Latency is in microseconds; in an open loop it is measured from each
 * request's intended send time, so a stalled server cannot hide its stall (coordinated omission).
 *
 * @param requests      correct responses recorded (wrong ones are errors, never throughput)
 * @param bytes         body bytes of those responses
 * @param seconds       the measured interval
 * @param connections   connections opened while measuring
 * @param errors        failures by kind
 * @param latency       latency of the correct responses, microseconds
 * @param perSecond     correct responses completed in each second of the measured interval
 * @param targetRate    the open loop's rate, or 0 for a closed loop
 * @param slaViolations responses slower than the SLA threshold
 * @param clientCpu     CPU the generator used, in cores (1.0 = one core busy)
 * @param schedule      how well an open loop kept its schedule; null for a closed loop
 */
public record LoadResult(long requests, long bytes, double seconds, long connections, Errors errors,
                         Histogram latency, long[] perSecond, double targetRate, long slaViolations,
                         double clientCpu, ScheduleKept schedule) {

    /** An open loop that sends late measures its own delay as the server's: past this, it says so. */
    static final long LATE_MICROS = 1000;
    /** Run-queue wait, in ms a second, above which the generator's lateness is the machine's doing. */
    static final double NOISY_MS_PER_SECOND = 1;

    /**
     * How late an open loop's measured requests went out after their intended times (microseconds),
     * and how many of them found every connection busy when they were due. Lateness is charged to
     * latency either way; this says whether the generator or the connections were the reason.
     */
    public record ScheduleKept(Histogram sendLag, long waitedForConnection, double runQueueMsPerSecond) {
        public double lagMicros(double percentile) {
            return sendLag.getTotalCount() == 0 ? 0 : sendLag.getValueAtPercentile(percentile);
        }

        /** Why the latencies also hold the generator's delay, or null when the schedule was kept. */
        public String warning(long requests) {
            if (waitedForConnection > 0.01 * Math.max(1, requests)) {
                return String.format(Locale.ROOT, "%,d requests were due while every connection was busy, so they "
                        + "went out late (their latency counts the wait): add connections (-c)", waitedForConnection);
            }
            if (lagMicros(99) > LATE_MICROS && runQueueMsPerSecond >= NOISY_MS_PER_SECOND) {
                return String.format(Locale.ROOT, "the generator sent 1%% of its requests more than %.1f ms late, "
                        + "and waited %.1f ms a second for a CPU while other programs held it: the machine is busy or "
                        + "noisy (a virtual machine's host agents), so the tail measures it too", lagMicros(99) / 1000,
                        runQueueMsPerSecond);
            }
            if (lagMicros(99) > LATE_MICROS) {
                return String.format(Locale.ROOT, "the generator sent 1%% of its requests more than %.1f ms late: "
                        + "it could not keep up with the rate (give it more threads or a core of its own)",
                        lagMicros(99) / 1000);
            }
            return null;
        }
    }

    /**
     * Failures, each counted once per request it cost. {@code notClosed} counts answers after which
     * the server kept the connection open although the request said "Connection: close" (RFC 9112
     * section 9.6 says it must close): the answer was right, but the client waited for nothing.
     */
    public record Errors(long connect, long reset, long timeout, long badStatus, long wrongBytes, long notClosed) {
        public long total() {
            return connect + reset + timeout + badStatus + wrongBytes + notClosed;
        }
    }

    public double requestsPerSecond() {
        return requests / seconds;
    }

    public double connectionsPerSecond() {
        return connections / seconds;
    }

    public double bytesPerSecond() {
        return bytes / seconds;
    }

    public double slaViolationPercent() {
        return requests == 0 ? 0 : 100.0 * slaViolations / requests;
    }

    /** Latency at a percentile, in milliseconds. */
    public double latencyMillis(double percentile) {
        return latency.getValueAtPercentile(percentile) / 1000.0;
    }

    /** True when the generator itself was the bottleneck: the numbers then describe the client. */
    public boolean clientSaturated(int cores) {
        return clientCpu >= 0.9 * cores;
    }

    /** Every number, as a tree for Jackson: reports and scripts compare runs with it. */
    public Map<String, Object> toJson() {
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("minMs", latency.getMinValue() / 1000.0);
        lat.put("meanMs", latency.getMean() / 1000.0);
        lat.put("maxMs", latency.getMaxValue() / 1000.0);
        for (double p : new double[] {50, 90, 95, 99, 99.9}) {
            lat.put("p" + trim(p) + "Ms", latencyMillis(p));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("targetRate", targetRate);
        root.put("seconds", seconds);
        root.put("requests", requests);
        root.put("requestsPerSecond", requestsPerSecond());
        root.put("connectionsPerSecond", connectionsPerSecond());
        root.put("bytesPerSecond", bytesPerSecond());
        root.put("latency", lat);
        root.put("errors", errors);
        root.put("slaViolationPercent", slaViolationPercent());
        root.put("perSecond", perSecond);
        root.put("clientCpuCores", clientCpu);
        if (schedule != null) {
            Map<String, Object> kept = new LinkedHashMap<>();
            kept.put("sendLagP50Us", schedule.lagMicros(50));
            kept.put("sendLagP99Us", schedule.lagMicros(99));
            kept.put("sendLagMaxUs", schedule.sendLag().getMaxValue());
            kept.put("waitedForConnection", schedule.waitedForConnection());
            kept.put("clientRunQueueMsPerSecond", schedule.runQueueMsPerSecond());
            root.put("schedule", kept);
        }
        return root;
    }

    /**
     * A summary in wrk's layout, so people who know wrk can read it at a glance, with the lines wrk
     * lacks explained where they stand.
     */
    public String summary(LoadSpec spec, int cores) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Running %.0fs test @ %s%n  %d threads and %d connections%n",
                seconds, spec.target(), spec.threads(), spec.connections()));
        s.append(String.format(Locale.ROOT, "  Latency   min %s  mean %s  max %s%n", time(latency.getMinValue()),
                time(latency.getMean()), time(latency.getMaxValue())));
        s.append("  Latency Distribution\n");
        for (double p : new double[] {50, 90, 95, 99, 99.9}) {
            s.append(String.format(Locale.ROOT, "    %5s%%  %s%n", trim(p), time(latency.getValueAtPercentile(p))));
        }
        s.append(String.format(Locale.ROOT, "  %d requests in %.2fs, %.2fMB read%n", requests, seconds, bytes / 1e6));
        if (errors.total() > 0) {
            s.append(String.format(Locale.ROOT,
                    "  Errors: connect %d, reset %d, timeout %d, bad status %d, wrong bytes %d, not closed %d%n",
                    errors.connect(), errors.reset(), errors.timeout(), errors.badStatus(), errors.wrongBytes(),
                    errors.notClosed()));
        }
        if (targetRate > 0) {
            s.append(String.format(Locale.ROOT, "  Rate: achieved %.1f of %.1f requests/sec%n", requestsPerSecond(), targetRate));
            s.append(String.format(Locale.ROOT, "  Schedule: requests went out %s (p50) and %s (p99) after their intended "
                    + "times; %,d found every connection busy%s%n", time(schedule.lagMicros(50)), time(schedule.lagMicros(99)),
                    schedule.waitedForConnection(), schedule.runQueueMsPerSecond() >= NOISY_MS_PER_SECOND
                            ? String.format(Locale.ROOT, "; the generator waited %.1f ms a second for a CPU held by "
                                    + "other programs", schedule.runQueueMsPerSecond())
                            : ""));
        }
        s.append(String.format(Locale.ROOT, "  SLA violations: %.2f%% (correct answers slower than --sla %s ms)%n",
                slaViolationPercent(), trim(spec.sla().toNanos() / 1e6)));
        s.append(String.format(Locale.ROOT, "Requests/sec: %10.2f%n", requestsPerSecond()));
        s.append(String.format(Locale.ROOT, "Connections/sec: %7.2f (new TCP connections opened per second; %s)%n",
                connectionsPerSecond(), spec.keepAlive()
                        ? "near 0 with keep-alive, where each connection serves many requests"
                        : "one per request with --new-connections"));
        s.append(String.format(Locale.ROOT, "Transfer/sec: %10.2fMB%n", bytesPerSecond() / (1024 * 1024)));
        s.append(String.format(Locale.ROOT, "Client CPU: %.2f cores%n", clientCpu));
        if (clientSaturated(cores)) {
            s.append("WARNING: the load generator used all its CPU; these numbers measure the client, not the server.\n");
        }
        String late = schedule == null ? null : schedule.warning(requests);
        if (late != null) {
            s.append("WARNING: ").append(late).append(".\n");
        }
        return s.toString();
    }

    /** Microseconds as wrk prints them: "47.00us" below a millisecond, "1.25ms" above. */
    private static String time(double micros) {
        return micros < 1000 ? String.format(Locale.ROOT, "%.2fus", micros)
                : String.format(Locale.ROOT, "%.2fms", micros / 1000);
    }

    private static String trim(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }
}
