package org.flashlab.lesson07;

import org.flashlab.contract.ArchitectureConformance;
import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.contract.Shape;
import org.flashlab.lesson07.vt.VirtualThreadServer;
import org.flashlab.server.ServerConfig;

/** Your VirtualThreadServer is the shape it claims: a virtual thread per connection on a few carriers: under 500 connections the platform threads stay few. */
class VirtualThreadConformanceTest extends ArchitectureConformance {
    @Override
    protected Shape shape() {
        return Shape.virtualThreads(Runtime.getRuntime().availableProcessors() + 4).named("VirtualThreadServer (lesson 07)");
    }

    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new VirtualThreadServer(config));
    }
}
