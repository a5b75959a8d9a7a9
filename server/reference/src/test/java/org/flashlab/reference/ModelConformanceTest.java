package org.flashlab.reference;

import java.time.Duration;
import java.util.List;

import org.flashlab.contract.ArchitectureConformance;
import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.contract.Shape;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.Nested;

/**
 * Every reference model passes the architecture conformance checks against the shape it claims.
 * Pools are sized for the checks' 500 open connections, as in CapacityTest: a pool holds as many
 * kept-alive connections as it has threads.
 */
class ModelConformanceTest {
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final int POOL = 600;
    private static final ModelOptions SIZED = ModelOptions.DEFAULTS.withWorkers(2).withThreads(POOL)
            .withPool(1024, 4, 16).withHelpers(4, Duration.ZERO)
            .withChildFlags(List.of("--threads", "400", "--queue", "1024"));

    /** One model against one claim. */
    abstract static class ModelConformance extends ArchitectureConformance {
        private final Model model;
        private final Shape shape;

        ModelConformance(Model model, Shape shape) {
            this.model = model;
            this.shape = shape;
        }

        @Override
        protected Shape shape() {
            return shape;
        }

        @Override
        protected ServerUnderTest start(ServerConfig config) throws Exception {
            return InProcessServer.start(model.create(config, SIZED));
        }
    }

    @Nested
    class Iterative extends ModelConformance {
        Iterative() {
            super(Model.ITERATIVE, Shape.iterative());
        }
    }

    @Nested
    class Mp extends ModelConformance {
        Mp() {
            super(Model.MP, Shape.processes(2, false));
        }
    }

    @Nested
    class MtPerConnection extends ModelConformance {
        MtPerConnection() {
            super(Model.MT_PER_CONNECTION, Shape.threadPerConnection());
        }
    }

    @Nested
    class MtPool extends ModelConformance {
        MtPool() {
            super(Model.MT_POOL, Shape.threadPool(POOL + 1)); // and the boss that accepts
        }
    }

    @Nested
    class MtDynamic extends ModelConformance {
        MtDynamic() {
            super(Model.MT_DYNAMIC, Shape.threadPool(POOL + 1));
        }
    }

    @Nested
    class VirtualThreads extends ModelConformance {
        VirtualThreads() {
            // The acceptor and the scheduler's carriers (one per core, a few more while some pin).
            super(Model.VT, Shape.virtualThreads(CORES + 4));
        }
    }

    @Nested
    class Sped extends ModelConformance {
        Sped() {
            super(Model.SPED, Shape.eventLoop());
        }
    }

    @Nested
    class Nsped extends ModelConformance {
        Nsped() {
            super(Model.NSPED, Shape.processes(2, true));
        }
    }

    @Nested
    class MultiReactor extends ModelConformance {
        MultiReactor() {
            super(Model.MULTI_REACTOR, Shape.eventLoops(CORES, 1));
        }
    }

    @Nested
    class Amted extends ModelConformance {
        Amted() {
            super(Model.AMTED, Shape.eventLoopWithHelperThreads(4));
        }
    }

    @Nested
    class Amped extends ModelConformance {
        Amped() {
            super(Model.AMPED, Shape.eventLoopWithHelperProcesses(4));
        }
    }

    @Nested
    class Hybrid extends ModelConformance {
        Hybrid() {
            super(Model.HYBRID, Shape.processes(2, true));
        }
    }
}
