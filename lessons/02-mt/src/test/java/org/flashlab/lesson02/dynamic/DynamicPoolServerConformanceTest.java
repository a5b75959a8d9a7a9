package org.flashlab.lesson02.dynamic;

import org.flashlab.contract.ArchitectureConformance;
import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.contract.Shape;
import org.flashlab.server.ServerConfig;

/**
 * Your DynamicPoolServer is what it claims: a pool of 2 to 600 threads and an acceptor. The checks hold 500 connections open at once, so the pool
 * here is sized for them.
 */
class DynamicPoolServerConformanceTest extends ArchitectureConformance {
    @Override
    protected Shape shape() {
        return Shape.threadPool(601).named("DynamicPoolServer (lesson 02)");
    }

    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new DynamicPoolServer(config, 2, 600, java.time.Duration.ofSeconds(30)));
    }
}
