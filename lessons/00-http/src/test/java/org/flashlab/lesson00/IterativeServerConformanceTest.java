package org.flashlab.lesson00;

import org.flashlab.contract.ArchitectureConformance;
import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.contract.Shape;
import org.flashlab.server.ServerConfig;

/**
 * Task 1: your IterativeServer is what it claims to be: one thread, one connection at a time. These
 * checks look from outside, at the threads the server runs and at who gets answered when.
 */
class IterativeServerConformanceTest extends ArchitectureConformance {
    @Override
    protected Shape shape() {
        return Shape.iterative().named("IterativeServer (lesson 00)");
    }

    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new IterativeServer(config));
    }
}
