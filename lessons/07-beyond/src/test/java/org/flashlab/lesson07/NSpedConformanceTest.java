package org.flashlab.lesson07;

import org.flashlab.contract.ArchitectureConformance;
import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.contract.Shape;
import org.flashlab.lesson07.nsped.NSpedServer;
import org.flashlab.server.ServerConfig;

/** Your NSpedServer is the shape it claims: two processes, each a whole event loop, and a slow client stalls neither. */
class NSpedConformanceTest extends ArchitectureConformance {
    @Override
    protected Shape shape() {
        return Shape.processes(NSpedServer.PROCESSES, true).named("NSpedServer (lesson 07)");
    }

    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new NSpedServer(config));
    }
}
