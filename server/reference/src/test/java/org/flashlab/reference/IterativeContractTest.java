package org.flashlab.reference;

import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerContract;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.reference.iterative.IterativeServer;
import org.flashlab.server.ServerConfig;

/** The iterative baseline meets the whole server contract. */
class IterativeContractTest extends ServerContract {
    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new IterativeServer(config));
    }
}
