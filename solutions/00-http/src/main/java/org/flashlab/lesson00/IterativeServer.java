package org.flashlab.lesson00;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.flashlab.files.StaticFileHandler;
import org.flashlab.server.BlockingConnection;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * Task 1: an iterative web server in a dozen lines, on the kit's shared HTTP layer. The shared
 * {@link BlockingConnection} reads with the shared parser (every corner of RFC 9112 that your
 * HandParser skipped: pipelining, keep-alive, timeouts, limits) and answers with the shared
 * {@link StaticFileHandler} (ranges, conditional requests, the Flash caches). What is left to you is
 * the one thing this lesson is about: one thread, one connection at a time. Tasks 2 and 3 then open
 * the box and do by hand what the shared layer does for you here.
 *
 * Every later server in the course has this same outside: a constructor that takes a
 * {@link ServerConfig}, start(), address() and close().
 */
public final class IterativeServer implements Server {
    private static final System.Logger LOG = System.getLogger(IterativeServer.class.getName());

    private final ServerConfig config;
    private StaticFileHandler handler;
    private ServerSocketChannel listener;
    private Thread thread;
    private volatile SocketChannel current; // the connection being served, so close() can wake its thread
    private volatile boolean closed;

    public IterativeServer(ServerConfig config) {
        this.config = config;
    }

    @Override
    public void start() throws IOException {
        // BEGIN SOLUTION
        handler = config.newHandler();
        listener = config.openListener();
        thread = Thread.ofPlatform().name("iterative").start(this::acceptLoop);
        // STARTER
        // // TODO Task 1: make a handler (config.newHandler()) and a listener (config.openListener()),
        // // then start one thread, named "iterative", that runs acceptLoop (README, "Task 1").
        // throw new UnsupportedOperationException("Task 1 is not done yet: IterativeServer.start (README, \"Task 1\")");
        // END SOLUTION
    }

    /** Accepts a connection, serves it to its end, and only then accepts the next. */
    private void acceptLoop() {
        // BEGIN SOLUTION
        while (!closed) {
            SocketChannel connection;
            try {
                connection = listener.accept();
            } catch (ClosedChannelException e) {
                return; // close() closed the listener
            } catch (IOException e) {
                // Out of descriptors (EMFILE), say: the connection waits in the backlog. Pause, or this
                // loop would spin, failing again, until a descriptor is free.
                LOG.log(System.Logger.Level.WARNING, "accept failed, pausing: " + e);
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
                continue;
            }
            current = connection;
            if (closed) {
                closeQuietly(connection); // close() ran while we accepted and did not see this one
                return;
            }
            BlockingConnection.serve(connection, handler, config); // returns when the connection is closed
        }
        // STARTER
        // // TODO Task 1: accept a connection, serve it with BlockingConnection.serve, and repeat until
        // // close() is called (README, "Task 1").
        // END SOLUTION
    }
    // BEGIN SOLUTION

    private static void closeQuietly(SocketChannel connection) {
        try {
            connection.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "closing " + connection + " failed: " + e);
        }
    }
    // END SOLUTION

    @Override
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (closed || listener == null) {
            return;
        }
        closed = true;
        try {
            listener.close(); // wakes the thread blocked in accept()
            SocketChannel connection = current;
            if (connection != null) {
                connection.close(); // wakes the thread blocked in a read or a write
            }
            thread.join();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            handler.close();
        }
    }
}
