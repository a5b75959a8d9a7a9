package org.flashlab.lesson02;

import org.flashlab.hidden.HiddenChecks;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/** The hidden tests (solutions/hidden), on lesson 02's DynamicPoolServer. */
class DynamicPoolHiddenTest extends HiddenChecks {
    @Override
    protected Server server(ServerConfig config) throws Exception {
        return new org.flashlab.lesson02.dynamic.DynamicPoolServer(config);
    }
}
