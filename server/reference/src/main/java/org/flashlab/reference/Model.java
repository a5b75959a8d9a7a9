package org.flashlab.reference;

import java.io.IOException;
import java.util.Arrays;

import org.flashlab.reference.amped.AmpedServer;
import org.flashlab.reference.amted.AmtedServer;
import org.flashlab.reference.iterative.IterativeServer;
import org.flashlab.reference.mtdynamic.DynamicPoolServer;
import org.flashlab.reference.mtperconnection.ThreadPerConnectionServer;
import org.flashlab.reference.mtpool.PoolServer;
import org.flashlab.reference.multireactor.MultiReactorServer;
import org.flashlab.reference.process.Supervisor;
import org.flashlab.reference.sped.SpedServer;
import org.flashlab.reference.vt.VirtualThreadServer;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * The concurrency models the reference server runs, each with the one-line summary that
 * `flashlab server --help` prints, drawn from the lecture. One package per model.
 */
public enum Model {
    ITERATIVE("iterative", "one connection at a time on one thread; the baseline every model improves on",
            (c, o) -> new IterativeServer(c)),
    MP("mp", "N single-threaded worker processes share the port: simple; memory-hungry, no shared caches",
            (c, o) -> new Supervisor("mp", c, o.workers(), "iterative", o.childFlags())),
    MT_PER_CONNECTION("mt-per-connection", "a new thread per connection: shared state, but a thread and its stack per client",
            (c, o) -> new ThreadPerConnectionServer(c)),
    MT_POOL("mt-pool", "boss/worker: a fixed thread pool and a bounded queue; 503 when the queue is full",
            (c, o) -> new PoolServer(c, o.threads(), o.queue())),
    MT_DYNAMIC("mt-dynamic", "Apache-style pool: grows below --min-spare idle threads, shrinks above --max-spare",
            (c, o) -> new DynamicPoolServer(c, o.minSpare(), o.maxSpare(), Math.max(o.threads(), o.maxSpare()))),
    VT("vt", "a virtual thread per connection: thread-per-connection code at event-loop cost",
            (c, o) -> new VirtualThreadServer(c)),
    SPED("sped", "one thread, one selector, a state machine per connection; blocks on disk reads",
            (c, o) -> new SpedServer(c)),
    NSPED("nsped", "N SPED processes sharing the port, like Zeus: more cores; each still blocks on disk",
            (c, o) -> new Supervisor("nsped", c, o.workers(), "sped", o.childFlags())),
    MULTI_REACTOR("multi-reactor", "N event loops in one process fed by one acceptor, as in nginx and Netty",
            (c, o) -> new MultiReactorServer(c, Math.min(o.threads(), Runtime.getRuntime().availableProcessors()))),
    AMTED("amted", "SPED plus helper threads for path lookups and cold file data (mincore decides)",
            (c, o) -> new AmtedServer(c, o.helpers(), o.helperDelay())),
    AMPED("amped", "Flash: SPED plus helper processes over Unix sockets; portable without kernel threads",
            (c, o) -> new AmpedServer(c, o.helpers(), o.helperDelay())),
    HYBRID("hybrid", "N processes x M threads, like Apache 2's worker MPM",
            (c, o) -> new Supervisor("hybrid", c, o.workers(), "mt-pool", o.childFlags()));

    /** Builds a server of a model; start() is the caller's. */
    @FunctionalInterface
    interface Factory {
        Server create(ServerConfig config, ModelOptions options) throws IOException;
    }

    private final String cliName;
    private final String summary;
    private final Factory factory;

    Model(String cliName, String summary, Factory factory) {
        this.cliName = cliName;
        this.summary = summary;
        this.factory = factory;
    }

    public String cliName() {
        return cliName;
    }

    public String summary() {
        return summary;
    }

    public Server create(ServerConfig config, ModelOptions options) throws IOException {
        return factory.create(config, options);
    }

    /** Finds a model by its command-line name. */
    public static Model byName(String name) {
        return Arrays.stream(values()).filter(m -> m.cliName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown model '" + name + "'; known: "
                        + String.join(", ", Arrays.stream(values()).map(Model::cliName).toList())));
    }
}
