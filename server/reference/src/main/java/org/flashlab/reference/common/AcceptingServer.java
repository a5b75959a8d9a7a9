package org.flashlab.reference.common;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

import org.flashlab.files.StaticFileHandler;
import org.flashlab.server.BlockingConnection;
import org.flashlab.server.OpenConnections;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * What the blocking models (iterative, MT, VT, and MP's workers) share: a listening socket, one
 * acceptor thread, and a way to stop. A model says only what happens to an accepted connection
 * ({@link #dispatch}) and how its workers stop ({@link #stopWorkers}), so the model's own file shows
 * nothing but its concurrency.
 *
 * Owners: the acceptor thread owns the listener's accept(); {@link #open} is shared by everyone;
 * close() may run on any thread.
 */
public abstract class AcceptingServer implements Server {
    private static final System.Logger LOG = System.getLogger(AcceptingServer.class.getName());
    /** After a failed accept (EMFILE: out of descriptors), wait before trying again instead of spinning. */
    private static final long ACCEPT_BACKOFF_NANOS = 50_000_000;

    protected final ServerConfig config;
    protected final StaticFileHandler handler;
    /** Every accepted connection not yet closed; close() closes them all, which wakes blocked threads. */
    protected final OpenConnections open = new OpenConnections();
    private final String name;

    // Written by start(), read by any thread after.
    private volatile ServerSocketChannel listener;
    private volatile InetSocketAddress bound;
    private volatile Thread acceptor;
    private volatile boolean closed;

    protected AcceptingServer(String name, ServerConfig config, StaticFileHandler handler) {
        this.name = name;
        this.config = config;
        this.handler = handler;
    }

    @Override
    public final void start() throws IOException {
        if (listener != null) {
            throw new IllegalStateException(name + " already started");
        }
        listener = config.openListener();
        bound = (InetSocketAddress) listener.getLocalAddress();
        startWorkers();
        acceptor = Thread.ofPlatform().name(name + "-acceptor").start(this::acceptLoop);
    }

    /** Starts threads the model needs before the first connection (a pool's core threads). */
    protected void startWorkers() {}

    /** Hands an accepted connection on. It must end in {@link #serve} or in closing the channel. */
    protected abstract void dispatch(SocketChannel connection);

    /** Stops and joins the model's threads. Runs after every connection has been closed. */
    protected abstract void stopWorkers() throws InterruptedException;

    /** Serves one connection to its end with the blocking request loop, then forgets it. */
    protected final void serve(SocketChannel connection) {
        try {
            BlockingConnection.serve(connection, handler, config);
        } finally {
            open.remove(connection);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel connection;
            try {
                connection = listener.accept();
            } catch (ClosedChannelException e) { // AsynchronousCloseException too: close() was called
                return; // close() was called
            } catch (IOException e) {
                // EMFILE and friends: this connection is lost, the server is not.
                LOG.log(System.Logger.Level.WARNING, name + ": accept failed, backing off: " + e);
                LockSupport.parkNanos(ACCEPT_BACKOFF_NANOS);
                continue;
            }
            open.add(connection);
            if (closed) {
                open.closeAll(); // close() ran between accept() and add(): do not serve after stop
                return;
            }
            dispatch(connection);
        }
    }

    @Override
    public final InetSocketAddress address() {
        if (bound == null) {
            throw new IllegalStateException(name + " not started");
        }
        return bound;
    }

    @Override
    public final void close() {
        if (closed || listener == null) {
            return;
        }
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, name + ": closing the listener failed", e);
        }
        open.closeAll();
        try {
            Thread a = acceptor;
            if (a != null) {
                a.join();
            }
            open.closeAll(); // anything accepted while the first closeAll ran
            stopWorkers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            handler.close(); // unmaps the mapped-file cache
        }
    }
}
