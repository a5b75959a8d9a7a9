package org.flashlab.lesson02.perconnection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.flashlab.files.StaticFileHandler;
import org.flashlab.lesson02.shared.HitCounter;
import org.flashlab.server.BlockingConnection;
import org.flashlab.server.OpenConnections;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * Task 2, stage 1: a new thread for every connection. "Every thread performs accept connection
 * through send data" in the lecture's words, except that one acceptor thread hands each connection
 * to a thread of its own. Simple, and as concurrent as the machine's threads allow; but each thread
 * costs its stack and a kernel task, and nothing bounds how many there are.
 */
public final class ThreadPerConnectionServer implements Server {
    private static final System.Logger LOG = System.getLogger(ThreadPerConnectionServer.class.getName());

    private final ServerConfig config;
    private final HitCounter hits = new HitCounter();
    private final OpenConnections open = new OpenConnections();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicLong names = new AtomicLong();
    private StaticFileHandler handler;
    private ServerSocketChannel listener;
    private Thread acceptor;
    private volatile boolean closed;

    public ThreadPerConnectionServer(ServerConfig config) {
        this.config = config;
    }

    /** Connections served to their end, counted by every connection's thread. */
    public HitCounter hits() {
        return hits;
    }

    @Override
    public void start() throws IOException {
        // BEGIN SOLUTION
        handler = config.newHandler();
        listener = config.openListener();
        acceptor = Thread.ofPlatform().name("acceptor").start(this::acceptLoop);
        // STARTER
        // // TODO Task 2: a handler, a listener, and an acceptor thread that starts a thread per
        // // connection (README, "Task 2").
        // throw new UnsupportedOperationException("Task 2 is not done yet: ThreadPerConnectionServer.start (README, \"Task 2\")");
        // END SOLUTION
    }
    // BEGIN SOLUTION

    private void acceptLoop() {
        while (!closed) {
            SocketChannel connection;
            try {
                connection = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // Out of descriptors (EMFILE), say: the connection waits in the backlog. Pause, or this
                // loop would spin, failing again, until a descriptor is free.
                LOG.log(System.Logger.Level.WARNING, "accept failed, pausing: " + e);
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
                continue;
            }
            open.add(connection);
            Thread t = Thread.ofPlatform().name("connection-" + names.incrementAndGet()).unstarted(() -> {
                try {
                    BlockingConnection.serve(connection, handler, config);
                    hits.increment();
                } finally {
                    open.remove(connection);
                    threads.remove(Thread.currentThread());
                }
            });
            threads.add(t);
            try {
                t.start();
            } catch (OutOfMemoryError e) {
                // "unable to create native thread": the price of a thread per connection. Refuse this
                // one connection and pause; the server lives on.
                LOG.log(System.Logger.Level.ERROR, "no thread for a new connection, closing it: " + e);
                threads.remove(t);
                open.remove(connection);
                try {
                    connection.close();
                } catch (IOException closing) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "closing a refused connection failed: " + closing);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
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
        try {
            listener.close();
            acceptor.join();   // no new connection threads after this
            open.closeAll();   // wakes every connection thread blocked in a read or a write
            for (Thread t : threads) {
                t.join();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the listener failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            handler.close();
        }
    }
}
