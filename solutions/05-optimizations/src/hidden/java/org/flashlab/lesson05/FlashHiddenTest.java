package org.flashlab.lesson05;

import org.flashlab.hidden.HiddenChecks;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/** The hidden tests (solutions/hidden), on lesson 05's FlashServer. */
class FlashHiddenTest extends HiddenChecks {
    @Override
    protected Server server(ServerConfig config) throws Exception {
        return new FlashServer(config);
    }
}
