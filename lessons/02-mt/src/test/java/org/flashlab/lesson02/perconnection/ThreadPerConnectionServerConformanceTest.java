package org.flashlab.lesson02.perconnection;

import org.flashlab.contract.ArchitectureConformance;
import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.contract.Shape;
import org.flashlab.server.ServerConfig;

/**
 * Your ThreadPerConnectionServer is what it claims: a thread per connection, and as many threads as
 * connections (the checks hold 500 open at once).
 */
class ThreadPerConnectionServerConformanceTest extends ArchitectureConformance {
    @Override
    protected Shape shape() {
        return Shape.threadPerConnection().named("ThreadPerConnectionServer (lesson 02)");
    }

    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new ThreadPerConnectionServer(config));
    }
}
