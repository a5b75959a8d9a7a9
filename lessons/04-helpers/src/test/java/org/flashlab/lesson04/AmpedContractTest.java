package org.flashlab.lesson04;

import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerContract;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.lesson04.amped.AmpedServer;
import org.flashlab.server.ServerConfig;

/**
 * Your AMPED against the server contract: every answer a helper's detour produces must be the one
 * SPED gives, pipelined requests included (a connection that waits for a helper reads nothing more).
 */
class AmpedContractTest extends ServerContract {
    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new AmpedServer(config));
    }
}
