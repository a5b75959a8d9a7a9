package org.flashlab.grader.grading.broken;

import java.io.IOException;

import org.flashlab.server.ServerConfig;

/** MP-like: it starts two worker processes, serves, and on close() forgets to stop them. */
public final class LeakingMp extends AcceptLoop {
    public LeakingMp(ServerConfig config) throws IOException {
        super(config);
    }

    @Override
    public void start() throws IOException {
        for (int i = 0; i < 2; i++) {
            new ProcessBuilder("sleep", "600").redirectErrorStream(true).start();
        }
        super.start();
    }
}
