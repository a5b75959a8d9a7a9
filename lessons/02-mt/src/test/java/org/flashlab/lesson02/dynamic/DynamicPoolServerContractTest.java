package org.flashlab.lesson02.dynamic;

import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerContract;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.server.ServerConfig;

/** Your DynamicPoolServer against the server contract. */
class DynamicPoolServerContractTest extends ServerContract {
    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new DynamicPoolServer(config));
    }
}
