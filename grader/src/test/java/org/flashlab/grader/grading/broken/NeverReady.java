package org.flashlab.grader.grading.broken;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

import org.flashlab.server.ServerConfig;

/** start() waits for something that never comes, so the readiness line is never printed. */
public final class NeverReady extends AcceptLoop {
    public NeverReady(ServerConfig config) throws IOException {
        super(config);
    }

    @Override
    public void start() throws IOException {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
