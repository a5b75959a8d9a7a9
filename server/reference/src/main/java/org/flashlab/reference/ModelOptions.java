package org.flashlab.reference;

import java.time.Duration;
import java.util.List;

/**
 * The knobs a model may use beyond {@link org.flashlab.server.ServerConfig}; each model reads only
 * its own and ignores the rest.
 *
 * @param workers     processes (mp, nsped, hybrid)
 * @param threads     threads (mt-pool size, mt-dynamic maximum, hybrid threads per process,
 *                    multi-reactor loops)
 * @param queue       connections that may wait for a worker (mt-pool)
 * @param minSpare    idle threads below which mt-dynamic grows
 * @param maxSpare    idle threads above which mt-dynamic shrinks
 * @param helpers     disk helpers (amted threads, amped processes)
 * @param helperDelay an artificial delay per helper job, so tests and lessons can make the disk slow
 * @param childFlags  command-line flags a process model passes on to its child processes, so a
 *                    child runs with the parent's optimizations and timeouts
 */
public record ModelOptions(int workers, int threads, int queue, int minSpare, int maxSpare, int helpers,
                           Duration helperDelay, List<String> childFlags) {

    /** The paper's sizes: 32 MP processes were too many for a laptop, so 4; 64 MT threads; 4 helpers. */
    public static final ModelOptions DEFAULTS = new ModelOptions(4, 64, 1024, 4, 16, 4, Duration.ZERO, List.of());

    public ModelOptions {
        if (workers < 1 || threads < 1 || queue < 1 || helpers < 1) {
            throw new IllegalArgumentException("workers, threads, queue and helpers must be at least 1");
        }
        childFlags = List.copyOf(childFlags);
    }

    public ModelOptions withWorkers(int n) {
        return new ModelOptions(n, threads, queue, minSpare, maxSpare, helpers, helperDelay, childFlags);
    }

    public ModelOptions withThreads(int n) {
        return new ModelOptions(workers, n, queue, minSpare, maxSpare, helpers, helperDelay, childFlags);
    }

    public ModelOptions withHelpers(int n, Duration delay) {
        return new ModelOptions(workers, threads, queue, minSpare, maxSpare, n, delay, childFlags);
    }

    public ModelOptions withPool(int newQueue, int newMinSpare, int newMaxSpare) {
        return new ModelOptions(workers, threads, newQueue, newMinSpare, newMaxSpare, helpers, helperDelay, childFlags);
    }

    public ModelOptions withChildFlags(List<String> flags) {
        return new ModelOptions(workers, threads, queue, minSpare, maxSpare, helpers, helperDelay, flags);
    }
}
