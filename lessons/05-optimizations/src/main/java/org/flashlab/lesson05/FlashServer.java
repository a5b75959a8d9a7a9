package org.flashlab.lesson05;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * Given: lesson 03's event loop (SPED), serving with this lesson's {@link FlashHandler} and
 * {@link Sender}, so that each of Flash's optimizations is a switch in
 * {@code ServerConfig.optimizations()}: {@code ./flashlab lesson server 05 --no-path-cache} and so on.
 */
public final class FlashServer implements Server {
    private static final System.Logger LOG = System.getLogger(FlashServer.class.getName());
    /** How often idle connections are looked for, at most: a full sweep of thousands costs. */
    private static final long SWEEP_MILLIS = 250;

    private final ServerConfig config;
    private FlashHandler handler;
    private ServerSocketChannel listener;
    private Selector selector;
    private Thread loop;
    private volatile boolean closed;
    private final Sender.Totals totals = new Sender.Totals();

    public FlashServer(ServerConfig config) {
        this.config = config;
    }

    @Override
    public void start() throws IOException {
        handler = new FlashHandler(config);
        listener = config.openListener();
        listener.configureBlocking(false);
        selector = Selector.open();
        listener.register(selector, SelectionKey.OP_ACCEPT);
        loop = Thread.ofPlatform().name("event-loop").start(this::run);
    }

    /** The event loop's thread: the server's only thread after start(). */
    private void run() {
        try {
            loop();
        } catch (IOException | RuntimeException e) {
            // The loop is the whole server: if it dies, say so loudly.
            LOG.log(System.Logger.Level.ERROR, "the event loop failed", e);
        } finally {
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof Connection c) {
                    c.close();
                }
            }
        }
    }

    /** Waits for events and dispatches them until close(). */
    private void loop() throws IOException {
        long nextSweep = System.nanoTime();
        while (!closed) {
            selector.select(SWEEP_MILLIS);
            for (SelectionKey key : selector.selectedKeys()) {
                if (!key.isValid()) {
                    continue; // closed by an earlier handler in this round
                }
                if (key.isAcceptable()) {
                    accept(key);
                } else {
                    dispatch((Connection) key.attachment());
                }
            }
            selector.selectedKeys().clear();
            long now = System.nanoTime();
            if (now - nextSweep >= 0) {
                sweep(now);
                nextSweep = now + SWEEP_MILLIS * 1_000_000;
                resumeAccepting();
            }
        }
    }

    /** Accepts every connection waiting (there may be many per readiness event). */
    private void accept(SelectionKey listenerKey) {
        while (true) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                // Out of descriptors (EMFILE), say. The connection waits in the backlog, so the
                // listener stays ready, and selecting on it again would spin: stop watching it until
                // the next sweep, which may have freed a descriptor.
                LOG.log(System.Logger.Level.WARNING, "accept failed, pausing accepts: " + e);
                listenerKey.interestOps(0);
                return;
            }
            if (channel == null) {
                return; // no more waiting
            }
            try {
                channel.configureBlocking(false);
                channel.socket().setTcpNoDelay(true);
                SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                key.attach(new Connection(channel, key, handler, config, totals));
            } catch (IOException e) {
                // The client left already (a reset before we got to it): this connection only.
                LOG.log(System.Logger.Level.DEBUG, () -> "setting up " + channel + " failed: " + e);
                closeQuietly(channel);
            }
        }
    }

    /** After a failed accept, the sweep watches the listener again. */
    private void resumeAccepting() {
        SelectionKey key = listener.keyFor(selector);
        if (key != null && key.interestOps() == 0) {
            key.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "closing " + channel + " failed: " + e);
        }
    }

    /** Runs one connection's handler; a failure ends that connection only. */
    private static void dispatch(Connection c) {
        try {
            c.onReady();
        } catch (IOException e) {
            // A reset or a broken pipe: routine, so not a warning; but not silent either.
            LOG.log(System.Logger.Level.DEBUG, () -> "connection in " + c.state() + " ended: " + e);
            c.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "a connection's handler failed", e);
            c.close();
        }
    }

    /** Closes every connection whose deadline has passed. */
    private void sweep(long now) {
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Connection c && c.expired(now)) {
                c.close();
            }
        }
    }

    /** The handler, whose caches count their hits (read it while no request is in flight). */
    public FlashHandler handler() {
        return handler;
    }

    /** Counts, over every connection so far, of how the bytes went out. */
    public Sender.Totals sent() {
        return totals;
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
            selector.close();
            listener.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            handler.close();
        }
    }
}
