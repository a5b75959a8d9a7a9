package org.flashlab.lesson03;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.flashlab.files.StaticFileHandler;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * Task 1: the single-process event-driven server (SPED). One thread, one selector, every
 * connection: the dispatcher waits until some socket is ready, and calls that connection's handler,
 * which does what it can without waiting and returns.
 *
 * <pre>
 *            +-------------------------------------------------------------+
 *            |  event loop (one thread)                                    |
 *            |    select()  -->  ready keys  -->  accept / onReady  --+    |
 *            |       ^                                                 |    |
 *            |       +------------------ sweep idle connections <-----+    |
 *            +-------------------------------------------------------------+
 *   sockets:  [listener] [c1 READING] [c2 WRITING] [c3 READING] ... [c5000 READING]
 * </pre>
 *
 * The selector is epoll on Linux. To run the same code on poll(2), start the JVM with
 * {@code -Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.PollSelectorProvider}
 * ({@code flashlab lesson server 03 --selector poll}); README, "Task 4" compares the two.
 */
public final class SpedServer implements Server {
    private static final System.Logger LOG = System.getLogger(SpedServer.class.getName());
    /** How often idle connections are looked for, at most: a full sweep of thousands costs. */
    private static final long SWEEP_MILLIS = 250;

    private final ServerConfig config;
    private StaticFileHandler handler;
    private ServerSocketChannel listener;
    private Selector selector;
    private Thread loop;
    private volatile boolean closed;

    public SpedServer(ServerConfig config) {
        this.config = config;
    }

    @Override
    public void start() throws IOException {
        // BEGIN SOLUTION
        handler = config.newHandler();
        listener = config.openListener();
        listener.configureBlocking(false);
        selector = Selector.open();
        listener.register(selector, SelectionKey.OP_ACCEPT);
        loop = Thread.ofPlatform().name("event-loop").start(this::run);
        // STARTER
        // // TODO Task 1: a handler, a non-blocking listener registered with a selector, and one thread,
        // // named "event-loop", that runs run() (README, "Task 1").
        // throw new UnsupportedOperationException("Task 1 is not done yet: SpedServer.start (README, \"Task 1\")");
        // END SOLUTION
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
        // BEGIN SOLUTION
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
        // STARTER
        // // TODO Task 1: select, then accept or hand each ready connection to its state machine;
        // // Task 3: now and then, close the connections that have expired (README, "Task 1", "Task 3").
        // throw new UnsupportedOperationException("Task 1 is not done yet: SpedServer.loop (README, \"Task 1\")");
        // END SOLUTION
    }
    // BEGIN SOLUTION

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
                key.attach(new Connection(channel, key, handler, config));
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
