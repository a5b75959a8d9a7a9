package org.flashlab.lesson07.event;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.flashlab.files.StaticFileHandler;
import org.flashlab.server.ServerConfig;

/**
 * One event loop: lesson 03's SPED loop, as a part to build with. It accepts from its own listener
 * (each N-SPED process has one), or is handed connections accepted by another thread (the
 * multi-reactor's acceptor): {@link #adopt} may be called from any thread, and that handoff is Task
 * 2. Everything else runs on the reactor's own thread.
 */
public final class Reactor {
    private static final System.Logger LOG = System.getLogger(Reactor.class.getName());
    private static final long SWEEP_MILLIS = 250;

    private final String name;
    private final ServerConfig config;
    private final StaticFileHandler handler;
    private final ServerSocketChannel listener; // null: connections are handed over
    private final Selector selector;
    private final ConcurrentLinkedQueue<SocketChannel> handedOver = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;
    private volatile int connections;
    private Thread thread;

    /**
     * @param listener a listener to accept from (made non-blocking here), or null when another
     *                 thread accepts and calls {@link #adopt}
     */
    public Reactor(String name, ServerConfig config, StaticFileHandler handler, ServerSocketChannel listener)
            throws IOException {
        this.name = name;
        this.config = config;
        this.handler = handler;
        this.listener = listener;
        this.selector = Selector.open();
    }

    public void start() throws IOException {
        if (listener != null) {
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        }
        thread = Thread.ofPlatform().name(name).start(this::run);
    }

    /** Connections open on this reactor now. */
    public int connections() {
        return connections;
    }

    /**
     * Task 2: hands this reactor a connection accepted by another thread. Any thread. The reactor's
     * thread is most likely asleep in select(), and a channel registered from another thread is not
     * watched by a select() already under way (before JDK 11, register() even blocked until it
     * ended). So queue the channel and wake the loop, which registers it on its own thread: the
     * selector and every connection stay the reactor's alone.
     */
    public void adopt(SocketChannel channel) {
        // TODO Task 2: queue it for the reactor's thread, and wake that thread up (README, "Task 2").
        throw new UnsupportedOperationException("Task 2 is not done yet: Reactor.adopt (README, \"Task 2\")");
    }

    private void run() {
        try {
            long nextSweep = System.nanoTime();
            while (!closed) {
                selector.select(SWEEP_MILLIS);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        acceptAll();
                    } else {
                        dispatch((Connection) key.attachment());
                    }
                }
                selector.selectedKeys().clear();
                SocketChannel next;
                while ((next = handedOver.poll()) != null) {
                    register(next);
                }
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    sweep(now);
                    nextSweep = now + SWEEP_MILLIS * 1_000_000;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, name + ": the event loop failed", e);
        } finally {
            for (SelectionKey key : List.copyOf(selector.keys())) {
                if (key.attachment() instanceof Connection c) {
                    c.close();
                }
            }
            SocketChannel left;
            while ((left = handedOver.poll()) != null) {
                closeQuietly(left);
            }
        }
    }

    private void acceptAll() {
        for (int i = 0; i < 64; i++) { // a bound, so a flood of connects cannot starve the reads
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, name + ": accept failed: " + e);
                return;
            }
            if (channel == null) {
                return;
            }
            register(channel);
        }
    }

    private void register(SocketChannel channel) {
        try {
            channel.configureBlocking(false);
            channel.socket().setTcpNoDelay(true);
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            key.attach(new Connection(channel, key, handler, config));
            connections++;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> name + ": setting up " + channel + " failed: " + e);
            closeQuietly(channel);
        }
    }

    private void dispatch(Connection c) {
        try {
            c.onReady();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> name + ": connection ended: " + e);
            c.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, name + ": a connection's handler failed", e);
            c.close();
        }
        if (c.state() == Connection.State.CLOSED) {
            connections--;
        }
    }

    private void sweep(long now) {
        for (SelectionKey key : List.copyOf(selector.keys())) {
            if (key.attachment() instanceof Connection c && c.state() != Connection.State.CLOSED && c.expired(now)) {
                c.close();
                connections--;
            }
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "closing " + channel + " failed: " + e);
        }
    }

    /** Stops the loop and waits for it; it closes its connections on the way out. Any thread. */
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            if (thread != null) {
                thread.join();
            }
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, name + ": closing the selector failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
