package org.flashlab.lesson04;

import org.flashlab.contract.ArchitectureConformance;
import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.contract.Shape;
import org.flashlab.lesson04.amped.AmpedServer;
import org.flashlab.server.ServerConfig;

/**
 * Your AMPED is Flash's shape: one thread in the server's process, four helper processes, and a loop
 * that never waits for the disk, whether for a file's bytes or for a path's lookup.
 */
class AmpedConformanceTest extends ArchitectureConformance {
    @Override
    protected Shape shape() {
        return Shape.eventLoopWithHelperProcesses(AmpedServer.HELPERS).named("AmpedServer (lesson 04)");
    }

    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new AmpedServer(config));
    }
}
