package org.flashlab.lesson02.bossworker;

import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerContract;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.server.ServerConfig;

/** Your BossWorkerServer against the server contract. */
class BossWorkerServerContractTest extends ServerContract {
    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new BossWorkerServer(config));
    }
}
