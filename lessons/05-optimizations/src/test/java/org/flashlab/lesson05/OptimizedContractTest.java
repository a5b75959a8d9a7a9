package org.flashlab.lesson05;

import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerContract;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.files.Optimizations;
import org.flashlab.server.ServerConfig;

/** Your server with every optimization on, against the server contract: the caches change no answer. */
class OptimizedContractTest extends ServerContract {
    @Override
    protected ServerUnderTest start(ServerConfig config) throws Exception {
        return InProcessServer.start(new FlashServer(config.withOptimizations(Optimizations.ALL_ON)));
    }
}
