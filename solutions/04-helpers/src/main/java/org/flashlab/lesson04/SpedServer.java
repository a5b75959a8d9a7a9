package org.flashlab.lesson04;

import org.flashlab.server.ServerConfig;

/** Lesson 03's SPED, on this lesson's loop: no helpers, so the loop waits whenever the disk does. */
public final class SpedServer extends EventServer {
    public SpedServer(ServerConfig config) {
        super(config, Helpers.NONE);
    }
}
