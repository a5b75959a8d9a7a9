package org.flashlab.lesson03;

import org.flashlab.contract.ArchitectureConformance;
import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.contract.Shape;
import org.flashlab.server.ServerConfig;

/**
 * Your SPED server is what it claims: one thread for 500 connections, and a client that stalls
 * (half a request, or a response it stops reading) delays no one else.
 */
class SpedServerConformanceTest extends ArchitectureConformance {
    @Override
    protected Shape shape() {
        return Shape.eventLoop().named("SpedServer (lesson 03)");
    }

    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new SpedServer(config));
    }
}
