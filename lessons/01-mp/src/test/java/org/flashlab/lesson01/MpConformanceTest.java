package org.flashlab.lesson01;

import org.flashlab.contract.ArchitectureConformance;
import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.contract.Shape;
import org.flashlab.server.ServerConfig;

/** Your MP server is what it claims: two worker processes, each serving one connection at a time. */
class MpConformanceTest extends ArchitectureConformance {
    @Override
    protected Shape shape() {
        return Shape.processes(2, false).named("Supervisor with 2 workers (lesson 01)");
    }

    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new Supervisor(config, 2));
    }
}
