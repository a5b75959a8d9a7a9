package org.flashlab.lesson01;

import org.flashlab.hidden.HiddenChecks;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/** The hidden tests (solutions/hidden), on lesson 01's Supervisor, with two workers. */
class MpHiddenTest extends HiddenChecks {
    @Override
    protected Server server(ServerConfig config) throws Exception {
        return new Supervisor(config, 2);
    }
}
