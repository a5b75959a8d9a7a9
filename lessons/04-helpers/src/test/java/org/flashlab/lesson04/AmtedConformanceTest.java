package org.flashlab.lesson04;

import org.flashlab.contract.ArchitectureConformance;
import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.contract.Shape;
import org.flashlab.lesson04.amted.AmtedServer;
import org.flashlab.server.ServerConfig;

/**
 * Your AMTED is what it claims: one loop and four helper threads under 500 connections, and the loop
 * keeps serving cached files while a file's bytes, or a path's lookup, wait for the disk.
 */
class AmtedConformanceTest extends ArchitectureConformance {
    @Override
    protected Shape shape() {
        return Shape.eventLoopWithHelperThreads(AmtedServer.HELPERS).named("AmtedServer (lesson 04)");
    }

    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new AmtedServer(config));
    }
}
