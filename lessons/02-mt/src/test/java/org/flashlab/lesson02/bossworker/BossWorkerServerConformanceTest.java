package org.flashlab.lesson02.bossworker;

import org.flashlab.contract.ArchitectureConformance;
import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.contract.Shape;
import org.flashlab.server.ServerConfig;

/**
 * Your BossWorkerServer is what it claims: a boss and 600 workers. The checks hold 500 connections open at once, so the pool
 * here is sized for them.
 */
class BossWorkerServerConformanceTest extends ArchitectureConformance {
    @Override
    protected Shape shape() {
        return Shape.threadPool(601).named("BossWorkerServer (lesson 02)");
    }

    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new BossWorkerServer(config, 600, 64));
    }
}
