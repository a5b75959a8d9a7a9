package org.flashlab.lesson02.perconnection;

import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerContract;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.server.ServerConfig;

/** Your ThreadPerConnectionServer against the server contract. */
class ThreadPerConnectionServerContractTest extends ServerContract {
    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new ThreadPerConnectionServer(config));
    }
}
