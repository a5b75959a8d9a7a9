package org.flashlab.reference.iterative;

/*
 * The iterative server: the baseline every other model improves on.
 *
 * Map:
 *   one thread ("iterative-acceptor") owns everything: it accepts a connection, serves it to the end
 *   (keep-alive included) with BlockingConnection, and only then accepts the next. Clients that
 *   arrive meanwhile wait in the kernel's accept backlog.
 *   close() closes the listener and the current connection, which wakes the thread.
 *
 * Left out on purpose: any concurrency. One slow client stalls every other client; that is the
 * point of the first lesson.
 */

import java.io.IOException;
import java.nio.channels.SocketChannel;

import org.flashlab.files.StaticFileHandler;
import org.flashlab.reference.common.AcceptingServer;
import org.flashlab.server.ServerConfig;

public final class IterativeServer extends AcceptingServer {

    public IterativeServer(ServerConfig config) throws IOException {
        this(config, config.newHandler());
    }

    /** With a given handler, so tests can break it on purpose. */
    public IterativeServer(ServerConfig config, StaticFileHandler handler) {
        super("iterative", config, handler);
    }

    @Override
    protected void dispatch(SocketChannel connection) {
        serve(connection); // on the acceptor thread: nobody else is accepted meanwhile
    }

    @Override
    protected void stopWorkers() {
        // There are none: the acceptor was the only thread.
    }
}
