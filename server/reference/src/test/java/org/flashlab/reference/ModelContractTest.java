package org.flashlab.reference;

import java.time.Duration;
import java.util.List;

import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerContract;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.files.Optimizations;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.Nested;

/**
 * Every model meets the whole server contract, once with every Flash optimization on and once with
 * every one off. (The iterative model with its defaults is IterativeContractTest.)
 */
class ModelContractTest {

    /** Small sizes, so the process models start quickly on a 2-core machine. */
    static final ModelOptions SMALL = ModelOptions.DEFAULTS.withWorkers(2).withThreads(16).withHelpers(2, Duration.ZERO);

    abstract static class ModelContract extends ServerContract {
        abstract Model model();

        abstract Optimizations optimizations();

        @Override
        protected ServerUnderTest start(ServerConfig config) throws Exception {
            boolean off = optimizations().equals(Optimizations.ALL_OFF);
            ModelOptions options = SMALL.withChildFlags(off ? List.of("--no-optimizations") : List.of());
            return InProcessServer.start(model().create(config.withOptimizations(optimizations()), options));
        }
    }

    abstract static class AllOn extends ModelContract {
        @Override
        Optimizations optimizations() {
            return Optimizations.ALL_ON;
        }
    }

    abstract static class AllOff extends ModelContract {
        @Override
        Optimizations optimizations() {
            return Optimizations.ALL_OFF;
        }
    }

    @Nested class IterativeOff extends AllOff { Model model() { return Model.ITERATIVE; } }
    @Nested class MpOn extends AllOn { Model model() { return Model.MP; } }
    @Nested class MpOff extends AllOff { Model model() { return Model.MP; } }
    @Nested class MtPerConnectionOn extends AllOn { Model model() { return Model.MT_PER_CONNECTION; } }
    @Nested class MtPerConnectionOff extends AllOff { Model model() { return Model.MT_PER_CONNECTION; } }
    @Nested class MtPoolOn extends AllOn { Model model() { return Model.MT_POOL; } }
    @Nested class MtPoolOff extends AllOff { Model model() { return Model.MT_POOL; } }
    @Nested class MtDynamicOn extends AllOn { Model model() { return Model.MT_DYNAMIC; } }
    @Nested class MtDynamicOff extends AllOff { Model model() { return Model.MT_DYNAMIC; } }
    @Nested class VtOn extends AllOn { Model model() { return Model.VT; } }
    @Nested class VtOff extends AllOff { Model model() { return Model.VT; } }
    @Nested class SpedOn extends AllOn { Model model() { return Model.SPED; } }
    @Nested class SpedOff extends AllOff { Model model() { return Model.SPED; } }
    @Nested class NspedOn extends AllOn { Model model() { return Model.NSPED; } }
    @Nested class NspedOff extends AllOff { Model model() { return Model.NSPED; } }
    @Nested class MultiReactorOn extends AllOn { Model model() { return Model.MULTI_REACTOR; } }
    @Nested class MultiReactorOff extends AllOff { Model model() { return Model.MULTI_REACTOR; } }
    @Nested class AmtedOn extends AllOn { Model model() { return Model.AMTED; } }
    @Nested class AmtedOff extends AllOff { Model model() { return Model.AMTED; } }
    @Nested class AmpedOn extends AllOn { Model model() { return Model.AMPED; } }
    @Nested class AmpedOff extends AllOff { Model model() { return Model.AMPED; } }
    @Nested class HybridOn extends AllOn { Model model() { return Model.HYBRID; } }
    @Nested class HybridOff extends AllOff { Model model() { return Model.HYBRID; } }
}
