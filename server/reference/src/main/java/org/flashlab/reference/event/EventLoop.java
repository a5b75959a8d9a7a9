package org.flashlab.reference.event;

/*
 * The event loop shared by SPED, multi-reactor, N-SPED, AMTED and AMPED: one thread, one Selector,
 * many connections, each a small state machine (Connection).
 *
 * Map:
 *   loop thread only: the selector, every registered channel, every Connection, `acceptPausedUntil`;
 *   any thread: execute() queues a task and wakes the selector; that is how an acceptor hands over a
 *   connection (multi-reactor) and how close() stops the loop. Helpers report through their own
 *   selectable channel (a Pipe or a Unix socket) that the DiskStage registers with watch().
 *
 *   one iteration: select (at most a second) -> handle the ready keys -> run queued tasks ->
 *   resume accepting after an EMFILE pause -> close connections past their deadline (checked once
 *   a second, so idle connections cost nothing)
 *
 * Left out on purpose (a production loop has them; see Jetty's ManagedSelector and Netty's
 * NioEventLoop): selector rebuilds for the old epoll spin bug (JDK-6670302, long fixed), optimised
 * selected-key sets, and timer wheels; a linear scan once a second is enough for tens of thousands.
 */

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.flashlab.files.StaticFileHandler;
import org.flashlab.server.ServerConfig;

public final class EventLoop {
    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    private static final long SCAN_INTERVAL_NANOS = 1_000_000_000L;
    private static final long ACCEPT_BACKOFF_NANOS = 50_000_000L;
    private static final int ACCEPTS_PER_WAKEUP = 64; // so a flood of connects cannot starve reads

    /** What a registered channel does when the selector says it is ready. Loop thread only. */
    @FunctionalInterface
    public interface Readiness {
        void ready(SelectionKey key) throws IOException;
    }

    final ServerConfig config;
    final StaticFileHandler handler;
    final DiskStage disk;
    private final String name;
    private final ServerSocketChannel listener; // null when an acceptor hands connections over

    // Loop thread only.
    private final Selector selector;
    private SelectionKey acceptKey;
    private long acceptPausedUntil;
    private long lastScan = System.nanoTime();

    // Any thread.
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private volatile long iterations;
    private volatile int connections;
    private Thread thread;

    /**
     * @param listener a non-blocking listening socket this loop accepts from, or null when another
     *                 thread accepts and calls {@link #register}
     */
    public EventLoop(String name, ServerConfig config, StaticFileHandler handler, DiskStage disk,
                     ServerSocketChannel listener) throws IOException {
        this.name = name;
        this.config = config;
        this.handler = handler;
        this.disk = disk;
        this.listener = listener;
        this.selector = Selector.open();
    }

    /** The request handler: a disk stage translates paths with it, and caches what its helpers found. */
    public StaticFileHandler handler() {
        return handler;
    }

    /** The configuration this loop serves with (disk stages read the emulated disk from it). */
    public ServerConfig config() {
        return config;
    }

    /** Attaches the disk stage (starting its helpers), then starts the loop thread. */
    public void start() throws IOException {
        disk.attach(this);
        if (listener != null) {
            listener.configureBlocking(false);
            acceptKey = listener.register(selector, SelectionKey.OP_ACCEPT, (Readiness) key -> acceptAll());
        }
        thread = Thread.ofPlatform().name(name).start(this::run);
    }

    /** Runs a task on the loop thread soon. Any thread. */
    public void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Hands an accepted connection to this loop. Any thread. */
    public void register(SocketChannel channel) {
        if (!running) {
            closeQuietly(channel); // a stopped loop would never run the task
            return;
        }
        execute(() -> adopt(channel));
    }

    /**
     * Registers a helper's channel (a Pipe source, a Unix socket) with the selector. Only from
     * {@link DiskStage#attach}, which runs before the loop thread starts, or on the loop thread.
     */
    public SelectionKey watch(SelectableChannel channel, int ops, Readiness readiness) throws IOException {
        channel.configureBlocking(false);
        return channel.register(selector, ops, readiness);
    }

    /** How many times the loop has woken up; a test of idleness counts these. */
    public long iterations() {
        return iterations;
    }

    /** Connections currently open on this loop. */
    public int connections() {
        return connections;
    }

    private void run() {
        try {
            while (running) {
                selector.select(this::dispatch, timeoutMillis());
                iterations++;
                runTasks();
                long now = System.nanoTime();
                if (acceptKey != null && acceptPausedUntil != 0 && now - acceptPausedUntil >= 0) {
                    acceptPausedUntil = 0;
                    acceptKey.interestOps(SelectionKey.OP_ACCEPT);
                }
                if (now - lastScan >= SCAN_INTERVAL_NANOS) {
                    lastScan = now;
                    expire(now);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, name + ": event loop failed; closing its connections", e);
        } finally {
            if (running && listener != null) {
                // The loop died under us: refuse new clients rather than let them hang unanswered.
                closeQuietly(listener);
            }
            running = false; // from now on adopt() closes what is handed over
            closeEverything();
        }
    }

    private long timeoutMillis() {
        return acceptPausedUntil != 0 ? ACCEPT_BACKOFF_NANOS / 1_000_000 : SCAN_INTERVAL_NANOS / 1_000_000;
    }

    /** One ready key: each connection is its own error boundary, so one failure closes one connection. */
    private void dispatch(SelectionKey key) {
        Object attachment = key.attachment();
        try {
            ((Readiness) attachment).ready(key);
        } catch (IOException e) {
            if (attachment instanceof Connection c) {
                LOG.log(System.Logger.Level.DEBUG, () -> name + ": " + c + " closed after: " + e);
                c.close();
            } else {
                LOG.log(System.Logger.Level.WARNING, name + ": helper channel failed", e);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, name + ": bug while handling " + attachment, e);
            if (attachment instanceof Connection c) {
                c.close();
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, name + ": task failed", e);
            }
        }
    }

    private void acceptAll() {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                // EMFILE: stop accepting for a moment instead of spinning on a listener that stays ready.
                LOG.log(System.Logger.Level.WARNING, name + ": accept failed, pausing accepts: " + e);
                acceptKey.interestOps(0);
                acceptPausedUntil = System.nanoTime() + ACCEPT_BACKOFF_NANOS;
                return;
            }
            if (channel == null) {
                return;
            }
            adopt(channel);
        }
    }

    /** Takes a new connection into the loop. Loop thread only. */
    private void adopt(SocketChannel channel) {
        if (!running) {
            closeQuietly(channel);
            return;
        }
        try {
            channel.configureBlocking(false);
            channel.socket().setTcpNoDelay(true);
            Connection connection = new Connection(this, channel);
            connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            connections++;
        } catch (ClosedChannelException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> name + ": connection closed before it was registered");
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> name + ": cannot register " + channel + ": " + e);
            closeQuietly(channel);
        }
    }

    void closed(Connection connection) {
        connections--;
    }

    private void expire(long now) {
        for (SelectionKey key : List.copyOf(selector.keys())) {
            if (key.attachment() instanceof Connection c) {
                try {
                    c.checkDeadline(now);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, name + ": bug while expiring " + c, e);
                    c.close();
                }
            }
        }
    }

    /** Stops the loop and waits for it; it closes every connection it owns. Any thread. */
    public void close() throws InterruptedException {
        running = false;
        selector.wakeup();
        if (thread != null) {
            thread.join();
        }
        disk.close();
        handler.close(); // unmaps the mapped-file cache (idempotent: reactors share one handler)
    }

    private void closeEverything() {
        for (Iterator<SelectionKey> it = selector.keys().iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            if (key.attachment() instanceof Connection c) {
                c.close();
            }
        }
        runTasks(); // connections handed over after the last iteration are closed by adopt()
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, name + ": closing the selector failed", e);
        }
    }

    /** Closes a channel on a path where a failure to close changes nothing; logs it. */
    public static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "close failed: " + e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
