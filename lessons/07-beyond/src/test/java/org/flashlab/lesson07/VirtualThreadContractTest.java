package org.flashlab.lesson07;

import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerContract;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.lesson07.vt.VirtualThreadServer;
import org.flashlab.server.ServerConfig;

/** Your VirtualThreadServer against the server contract: a new shape, the same answers. */
class VirtualThreadContractTest extends ServerContract {
    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new VirtualThreadServer(config));
    }
}
