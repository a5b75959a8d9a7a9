package org.flashlab.grader.grading.broken;

import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

import org.flashlab.server.BlockingConnection;
import org.flashlab.server.ServerConfig;

/** Serves right, and the 101st connection kills the process: a resource that runs out, say. */
public final class CrashAfter100 extends AcceptLoop {
    private final AtomicInteger connections = new AtomicInteger();

    public CrashAfter100(ServerConfig config) throws java.io.IOException {
        super(config);
    }

    @Override
    protected void serve(SocketChannel connection) {
        if (connections.incrementAndGet() > 100) {
            Runtime.getRuntime().halt(3);
        }
        Thread.ofPlatform().daemon().start(() -> BlockingConnection.serve(connection, handler, config));
    }
}
