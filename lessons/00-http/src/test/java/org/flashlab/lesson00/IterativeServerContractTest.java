package org.flashlab.lesson00;

import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerContract;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.server.ServerConfig;

/**
 * Task 1: your IterativeServer against the kit's server contract, the same black-box suite every
 * reference model passes. Each failure names the request, what was expected and what came back.
 */
class IterativeServerContractTest extends ServerContract {
    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new IterativeServer(config));
    }
}
