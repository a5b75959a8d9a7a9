package org.flashlab.lesson07;

import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerContract;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.lesson07.hybrid.HybridServer;
import org.flashlab.server.ServerConfig;

/** Your HybridServer against the server contract: a new shape, the same answers. */
class HybridContractTest extends ServerContract {
    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new HybridServer(config));
    }
}
