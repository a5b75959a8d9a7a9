package org.flashlab.lesson04;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

import org.flashlab.files.StaticFileHandler;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * The event loop of lesson 03, given whole, with one addition: {@link Helpers}. SPED, AMTED and AMPED
 * are this one class with different helpers ({@link SpedServer}, {@code amted.AmtedServer},
 * {@code amped.AmpedServer}). Everything registered with the selector is a {@link Readiness}: the
 * listener, each connection, and whatever the helpers report back on (a pipe, Unix sockets), so a
 * helper's answer is one more event, handled like a readable socket.
 *
 * <pre>
 *   event loop (one thread):  select() --> ready keys --> accept | connection.ready | helpers' channel
 *                                ^                                                        |
 *                                +---------------- sweep idle connections <---------------+
 *   helpers (threads or processes): take a job, block on the disk, report back
 * </pre>
 */
public class EventServer implements Server {
    private static final System.Logger LOG = System.getLogger(EventServer.class.getName());
    private static final long SWEEP_MILLIS = 250;

    /** What a registered channel does when the selector says it is ready. Loop thread only. */
    @FunctionalInterface
    public interface Readiness {
        void ready(SelectionKey key) throws IOException;
    }

    private final ServerConfig config;
    private final Helpers helpers;
    private StaticFileHandler handler;
    private ServerSocketChannel listener;
    private Selector selector;
    private Thread loop;
    private volatile boolean closed;

    protected EventServer(ServerConfig config, Helpers helpers) {
        this.config = config;
        this.helpers = helpers;
    }

    public ServerConfig config() {
        return config;
    }

    /** The shared request handler: the helpers translate paths with it. */
    public StaticFileHandler handler() {
        return handler;
    }

    Helpers helpers() {
        return helpers;
    }

    @Override
    public void start() throws IOException {
        handler = config.newHandler();
        selector = Selector.open();
        try {
            listener = config.openListener(); // first: a port in use fails here, before any helper starts
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT, (Readiness) key -> accept(key));
            helpers.attach(this);
        } catch (IOException | RuntimeException e) {
            helpers.close(); // whatever attach started before it failed
            if (listener != null) {
                listener.close();
                listener = null;
            }
            selector.close();
            handler.close();
            throw e;
        }
        loop = Thread.ofPlatform().name("event-loop").start(this::run);
    }

    /**
     * Registers a helper's channel with the selector. From {@link Helpers#attach} (before the loop
     * thread starts) or on the loop thread.
     */
    public SelectionKey watch(SelectableChannel channel, int ops, Readiness readiness) throws IOException {
        channel.configureBlocking(false);
        return channel.register(selector, ops, readiness);
    }

    private void run() {
        try {
            long nextSweep = System.nanoTime();
            while (!closed) {
                selector.select(this::dispatch, SWEEP_MILLIS);
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    sweep(now);
                    nextSweep = now + SWEEP_MILLIS * 1_000_000;
                    resumeAccepting();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the event loop failed", e); // the loop is the whole server
        } finally {
            for (SelectionKey key : List.copyOf(selector.keys())) {
                if (key.attachment() instanceof Connection c) {
                    c.close();
                }
            }
        }
    }

    /** One ready key. Each connection is its own error boundary: a failure closes that connection only. */
    private void dispatch(SelectionKey key) {
        Object attachment = key.attachment();
        try {
            ((Readiness) attachment).ready(key);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> attachment + " ended: " + e);
            if (attachment instanceof Connection c) {
                c.close();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "a handler failed on " + attachment, e);
            if (attachment instanceof Connection c) {
                c.close();
            }
        }
    }

    private void accept(SelectionKey listenerKey) {
        while (true) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                // Out of descriptors: stop watching the listener until the next sweep, or select would spin.
                LOG.log(System.Logger.Level.WARNING, "accept failed, pausing accepts: " + e);
                listenerKey.interestOps(0);
                return;
            }
            if (channel == null) {
                return;
            }
            try {
                channel.configureBlocking(false);
                channel.socket().setTcpNoDelay(true);
                Connection c = new Connection(this, channel);
                c.register(channel.register(selector, SelectionKey.OP_READ, c));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "setting up " + channel + " failed: " + e);
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
        }
    }

    private void resumeAccepting() {
        SelectionKey key = listener.keyFor(selector);
        if (key != null && key.interestOps() == 0) {
            key.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    private void sweep(long now) {
        for (SelectionKey key : List.copyOf(selector.keys())) {
            if (key.attachment() instanceof Connection c) {
                c.checkDeadline(now);
            }
        }
    }

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
        selector.wakeup();
        try {
            loop.join(); // the loop closes every connection on its way out
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        helpers.close();
        try {
            selector.close();
            listener.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing failed", e);
        } finally {
            handler.close();
        }
    }
}
