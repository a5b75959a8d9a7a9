package org.flashlab.lesson04.amped;

import java.util.List;

import org.flashlab.lesson04.EventServer;
import org.flashlab.server.ServerConfig;

/**
 * AMPED, Flash itself: one event loop, and {@link #HELPERS} helper processes for the disk. Why
 * processes and not threads? In 1999 many systems had no kernel threads that could block on their
 * own; processes worked everywhere ("portable" in the paper's title).
 */
public final class AmpedServer extends EventServer {
    public static final int HELPERS = 4;

    private final HelperProcesses helpers;

    public AmpedServer(ServerConfig config) {
        this(config, new HelperProcesses(HELPERS));
    }

    private AmpedServer(ServerConfig config, HelperProcesses helpers) {
        super(config, helpers);
        this.helpers = helpers;
    }

    /** The helper processes alive now. Read it while no request is in flight: the loop owns the list. */
    public List<ProcessHandle> helperProcesses() {
        return helpers.processes();
    }
}
