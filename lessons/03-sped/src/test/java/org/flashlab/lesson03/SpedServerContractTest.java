package org.flashlab.lesson03;

import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerContract;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.server.ServerConfig;

/**
 * Your SPED server against the server contract. Pipelining, keep-alive, requests sent one byte at
 * a time and slow readers are where an event-driven server's state machine is tested hardest.
 */
class SpedServerContractTest extends ServerContract {
    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new SpedServer(config));
    }
}
