package org.flashlab.lesson04.amted;

import org.flashlab.lesson04.EventServer;
import org.flashlab.server.ServerConfig;

/** AMTED: one event loop, and {@link #HELPERS} helper threads for the disk. */
public final class AmtedServer extends EventServer {
    /** Helper threads: enough to keep a disk (and its queue) busy while the loop serves the cache. */
    public static final int HELPERS = 4;

    public AmtedServer(ServerConfig config) {
        super(config, new HelperThreads(HELPERS));
    }
}
