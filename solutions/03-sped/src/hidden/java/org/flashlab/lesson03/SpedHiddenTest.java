package org.flashlab.lesson03;

import org.flashlab.hidden.HiddenChecks;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/** The hidden tests (solutions/hidden), on lesson 03's SpedServer. */
class SpedHiddenTest extends HiddenChecks {
    @Override
    protected Server server(ServerConfig config) throws Exception {
        return new SpedServer(config);
    }
}
