package org.flashlab.lesson07;

import org.flashlab.contract.ArchitectureConformance;
import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.contract.Shape;
import org.flashlab.lesson07.hybrid.HybridServer;
import org.flashlab.server.ServerConfig;

/** Your HybridServer is the shape it claims: two processes of threads; 400 threads each, so that 500 kept-alive connections each have one. */
class HybridConformanceTest extends ArchitectureConformance {
    @Override
    protected Shape shape() {
        return Shape.processes(HybridServer.PROCESSES, true).named("HybridServer (lesson 07)");
    }

    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new HybridServer(config, HybridServer.PROCESSES, 400));
    }
}
