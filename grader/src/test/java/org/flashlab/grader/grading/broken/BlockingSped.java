package org.flashlab.grader.grading.broken;

import java.nio.channels.SocketChannel;

import org.flashlab.server.BlockingConnection;
import org.flashlab.server.ServerConfig;

/** "SPED" with one thread that reads each connection to its end before it accepts the next: it blocks. */
public final class BlockingSped extends AcceptLoop {
    public BlockingSped(ServerConfig config) throws java.io.IOException {
        super(config);
    }

    @Override
    protected void serve(SocketChannel connection) {
        BlockingConnection.serve(connection, handler, config);
    }
}
