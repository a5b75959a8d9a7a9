package org.flashlab.lesson04;

import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerContract;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.lesson04.amted.AmtedServer;
import org.flashlab.server.ServerConfig;

/** Your AMTED against the server contract. */
class AmtedContractTest extends ServerContract {
    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new AmtedServer(config));
    }
}
