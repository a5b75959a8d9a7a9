package org.flashlab.lesson07;

import org.flashlab.hidden.HiddenChecks;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/** The hidden tests (solutions/hidden), on lesson 07's MultiReactorServer. */
class MultiReactorHiddenTest extends HiddenChecks {
    @Override
    protected Server server(ServerConfig config) throws Exception {
        return new org.flashlab.lesson07.multireactor.MultiReactorServer(config);
    }
}
