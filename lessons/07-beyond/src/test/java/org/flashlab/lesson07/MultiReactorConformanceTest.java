package org.flashlab.lesson07;

import org.flashlab.contract.ArchitectureConformance;
import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.contract.Shape;
import org.flashlab.lesson07.multireactor.MultiReactorServer;
import org.flashlab.server.ServerConfig;

/** Your MultiReactorServer is the shape it claims: one loop per core and an acceptor, however many connections; a slow client stalls no loop. */
class MultiReactorConformanceTest extends ArchitectureConformance {
    @Override
    protected Shape shape() {
        return Shape.eventLoops(MultiReactorServer.REACTORS, 1).named("MultiReactorServer (lesson 07)");
    }

    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new MultiReactorServer(config));
    }
}
