package org.flashlab.lesson04;

import org.flashlab.hidden.HiddenChecks;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/** The hidden tests (solutions/hidden), on lesson 04's AmpedServer. */
class AmpedHiddenTest extends HiddenChecks {
    @Override
    protected Server server(ServerConfig config) throws Exception {
        return new org.flashlab.lesson04.amped.AmpedServer(config);
    }
}
