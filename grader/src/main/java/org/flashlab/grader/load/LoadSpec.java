package org.flashlab.grader.load;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One load run.
 *
 * @param target      an http:// URL: the server, and the path requested when there is no mix
 * @param connections concurrent connections
 * @param threads     selector threads driving them (each owns connections / threads of them)
 * @param duration    how long to measure
 * @param warmup      how long to run first without recording
 * @param rate        requests per second in all for an open loop (wrk2's -R); 0 for a closed loop
 * @param keepAlive   reuse connections (HTTP/1.1), or open one per request (the paper's HTTP/1.0 style)
 * @param pipeline    requests kept outstanding per connection in a closed keep-alive loop (1 = none)
 * @param timeout     a request outstanding this long counts as one timeout, and its connection is closed
 * @param sla         latency above which a request counts as an SLA violation
 * @param mix         the paths to request and their correct bodies, or null to request the target's
 *                    path and learn its body from one GET before the run
 * @param roundTrip   a closed keep-alive loop's emulated wide-area round trip: each connection waits
 *                    its own delay (seeded, from half to one and a half times this) before each request,
 *                    as a distant client would; latency counts from the send. Zero on loopback.
 */
public record LoadSpec(URI target, int connections, int threads, Duration duration, Duration warmup, double rate,
                       boolean keepAlive, int pipeline, Duration timeout, Duration sla, RequestMix mix,
                       Duration roundTrip) {

    public LoadSpec(URI target, int connections, int threads, Duration duration, Duration warmup, double rate,
                    boolean keepAlive, int pipeline, Duration timeout, Duration sla, RequestMix mix) {
        this(target, connections, threads, duration, warmup, rate, keepAlive, pipeline, timeout, sla, mix, Duration.ZERO);
    }

    public LoadSpec {
        Objects.requireNonNull(target, "target");
        if (!"http".equals(target.getScheme()) || target.getHost() == null) {
            throw new IllegalArgumentException("need an http:// URL with a host, got " + target);
        }
        if (connections < 1 || threads < 1 || pipeline < 1) {
            throw new IllegalArgumentException("connections, threads and pipeline must be at least 1");
        }
        if (rate < 0) {
            throw new IllegalArgumentException("rate must not be negative");
        }
        if (!keepAlive && pipeline > 1) {
            throw new IllegalArgumentException("pipelining needs keep-alive");
        }
        Objects.requireNonNull(roundTrip, "roundTrip");
        if (roundTrip.isNegative() || (!roundTrip.isZero() && (rate > 0 || !keepAlive || pipeline > 1))) {
            throw new IllegalArgumentException("an emulated round trip needs a closed keep-alive loop without pipelining");
        }
        threads = Math.min(threads, connections);
    }

    /** A closed keep-alive loop with wrk's defaults (10 connections, 2 threads, 10 s). */
    public static LoadSpec closed(URI target) {
        return new LoadSpec(target, 10, 2, Duration.ofSeconds(10), Duration.ZERO, 0, true, 1,
                Duration.ofSeconds(2), Duration.ofMillis(100), null);
    }

    public int port() {
        return target.getPort() < 0 ? 80 : target.getPort();
    }

    public String path() {
        String p = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        return target.getRawQuery() == null ? p : p + "?" + target.getRawQuery();
    }

    public LoadSpec withTarget(URI t) {
        return new LoadSpec(t, connections, threads, duration, warmup, rate, keepAlive, pipeline, timeout, sla, mix, roundTrip);
    }

    public LoadSpec withConnections(int n, int t) {
        return new LoadSpec(target, n, t, duration, warmup, rate, keepAlive, pipeline, timeout, sla, mix, roundTrip);
    }

    public LoadSpec withDuration(Duration d, Duration w) {
        return new LoadSpec(target, connections, threads, d, w, rate, keepAlive, pipeline, timeout, sla, mix, roundTrip);
    }

    public LoadSpec withRate(double r) {
        return new LoadSpec(target, connections, threads, duration, warmup, r, keepAlive, pipeline, timeout, sla, mix, roundTrip);
    }

    public LoadSpec withKeepAlive(boolean k, int depth) {
        return new LoadSpec(target, connections, threads, duration, warmup, rate, k, depth, timeout, sla, mix, roundTrip);
    }

    public LoadSpec withTimeouts(Duration t, Duration s) {
        return new LoadSpec(target, connections, threads, duration, warmup, rate, keepAlive, pipeline, t, s, mix, roundTrip);
    }

    public LoadSpec withRoundTrip(Duration rtt) {
        return new LoadSpec(target, connections, threads, duration, warmup, rate, keepAlive, pipeline, timeout, sla, mix, rtt);
    }

    /** The target's path, whose correct body is {@code e}. */
    public LoadSpec withExpected(Expected e) {
        return withMix(RequestMix.single(path(), e));
    }

    public LoadSpec withMix(RequestMix m) {
        return new LoadSpec(target, connections, threads, duration, warmup, rate, keepAlive, pipeline, timeout, sla, m, roundTrip);
    }
}
