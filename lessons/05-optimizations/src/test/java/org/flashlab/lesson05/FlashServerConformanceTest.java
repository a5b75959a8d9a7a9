package org.flashlab.lesson05;

import org.flashlab.contract.ArchitectureConformance;
import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.contract.Shape;
import org.flashlab.files.Optimizations;
import org.flashlab.server.ServerConfig;

/** Still SPED: the caches add no thread, and a slow client still stalls no one. */
class FlashServerConformanceTest extends ArchitectureConformance {
    @Override
    protected Shape shape() {
        return Shape.eventLoop().named("FlashServer (lesson 05)");
    }

    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new FlashServer(config.withOptimizations(Optimizations.ALL_ON)));
    }
}
