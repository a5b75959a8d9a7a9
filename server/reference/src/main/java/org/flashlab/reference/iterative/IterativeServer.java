package org.flashlab.reference.iterative;

/*
 * The iterative server: the baseline every other model improves on.
 *
 * Map:
 *   one thread ("iterative") owns the listening socket and the one connection it is serving;
 *   it accepts a connection, serves it to the end (keep-alive included) with BlockingConnection,
 *   closes it, and only then accepts the next. Clients that arrive meanwhile wait in the kernel's
 *   accept backlog.
 *   close() (any thread) closes the listener and the current connection, which wakes the thread.
 *
 * Left out on purpose: any concurrency. One slow client stalls every other client; that is the
 * point of the first lesson.
 */

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

import org.flashlab.files.DocumentRoot;
import org.flashlab.files.StaticFileHandler;
import org.flashlab.server.BlockingConnection;
import org.flashlab.server.OpenConnections;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

public final class IterativeServer implements Server {
    private static final System.Logger LOG = System.getLogger(IterativeServer.class.getName());
    /** After a failed accept (EMFILE: out of descriptors), wait before trying again instead of spinning. */
    private static final long ACCEPT_BACKOFF_NANOS = 50_000_000;

    private final ServerConfig config;
    private final StaticFileHandler handler;

    // Written by start(), read by any thread after.
    private volatile ServerSocketChannel listener;
    private volatile InetSocketAddress bound;
    private volatile Thread thread;
    // The connection being served; closed by close() to wake the serving thread.
    private final OpenConnections open = new OpenConnections();

    public IterativeServer(ServerConfig config) throws IOException {
        this(config, new StaticFileHandler(new DocumentRoot(config.docroot())));
    }

    /** With a given handler, so tests can break it on purpose. */
    public IterativeServer(ServerConfig config, StaticFileHandler handler) {
        this.config = config;
        this.handler = handler;
    }

    @Override
    public void start() throws IOException {
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(config.host(), config.port()), 512);
        bound = (InetSocketAddress) listener.getLocalAddress();
        thread = Thread.ofPlatform().name("iterative").start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (listener.isOpen()) {
            SocketChannel connection;
            try {
                connection = listener.accept();
            } catch (AsynchronousCloseException e) {
                return; // close() was called
            } catch (IOException e) {
                // EMFILE and friends: this connection is lost, the server is not.
                LOG.log(System.Logger.Level.WARNING, "accept failed, backing off: " + e);
                LockSupport.parkNanos(ACCEPT_BACKOFF_NANOS);
                continue;
            }
            open.add(connection);
            if (!listener.isOpen()) {
                open.closeAll(); // close() ran between accept() and add(): do not serve after stop
            }
            BlockingConnection.serve(connection, handler, config);
            open.remove(connection);
        }
    }

    @Override
    public InetSocketAddress address() {
        if (bound == null) {
            throw new IllegalStateException("not started");
        }
        return bound;
    }

    @Override
    public void close() {
        ServerSocketChannel l = listener;
        if (l == null) {
            return;
        }
        try {
            l.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the listener failed", e);
        }
        open.closeAll();
        Thread t = thread;
        if (t == null) {
            return; // bind failed: no thread was started
        }
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
