package org.flashlab.lesson02.bossworker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.flashlab.files.StaticFileHandler;
import org.flashlab.lesson02.shared.HitCounter;
import org.flashlab.server.BlockingConnection;
import org.flashlab.server.OpenConnections;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * Task 3, stage 2: boss/worker. One boss thread accepts and puts each connection into a bounded
 * queue; a fixed set of worker threads take connections from it and serve them.
 *
 * <pre>
 *   [boss] --accept--> [ queue: c7 c8 c9 ] --take--> [worker 1] [worker 2] ... [worker N]
 * </pre>
 *
 * The queue's bound is the point. When every worker is busy and the queue is full, the boss blocks
 * in put(), stops accepting, and new clients wait in the kernel's backlog instead of in our memory:
 * back-pressure. An unbounded queue would accept everyone and keep them waiting anyway.
 */
public final class BossWorkerServer implements Server {
    private static final System.Logger LOG = System.getLogger(BossWorkerServer.class.getName());
    public static final int DEFAULT_WORKERS = 32;
    public static final int DEFAULT_QUEUE = 64;

    private final ServerConfig config;
    private final int workerCount;
    private final BlockingQueue<SocketChannel> queue;
    private final HitCounter hits = new HitCounter();
    private final OpenConnections open = new OpenConnections();
    private final List<Thread> workers = new ArrayList<>();
    private StaticFileHandler handler;
    private ServerSocketChannel listener;
    private Thread boss;
    private volatile boolean closed;

    public BossWorkerServer(ServerConfig config) {
        this(config, DEFAULT_WORKERS, DEFAULT_QUEUE);
    }

    public BossWorkerServer(ServerConfig config, int workers, int queueCapacity) {
        if (workers < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("need at least one worker and room for one connection in the queue");
        }
        this.config = config;
        this.workerCount = workers;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
    }

    /** Connections served to their end. */
    public HitCounter hits() {
        return hits;
    }

    /** Connections accepted and waiting for a worker. */
    public int queued() {
        return queue.size();
    }

    @Override
    public void start() throws IOException {
        // BEGIN SOLUTION
        handler = config.newHandler();
        listener = config.openListener();
        for (int i = 1; i <= workerCount; i++) {
            workers.add(Thread.ofPlatform().name("worker-" + i).start(this::workerLoop));
        }
        boss = Thread.ofPlatform().name("boss").start(this::bossLoop);
        // STARTER
        // // TODO Task 3: start the workers, then the boss (README, "Task 3").
        // throw new UnsupportedOperationException("Task 3 is not done yet: BossWorkerServer.start (README, \"Task 3\")");
        // END SOLUTION
    }
    // BEGIN SOLUTION

    /** The boss: accepts, and queues; blocks when the queue is full. */
    private void bossLoop() {
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
            try {
                queue.put(connection);
            } catch (InterruptedException e) {
                return; // close(): the connection is in `open`, and close() closes it
            }
        }
    }

    /** A worker: takes a connection, serves it to its end, and takes the next. */
    private void workerLoop() {
        while (true) {
            SocketChannel connection;
            try {
                connection = queue.take();
            } catch (InterruptedException e) {
                return; // close()
            }
            try {
                BlockingConnection.serve(connection, handler, config);
                hits.increment();
            } finally {
                open.remove(connection);
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
            boss.interrupt(); // it may be blocked in put()
            boss.join();
            open.closeAll(); // wakes the workers blocked on a connection; queued ones are closed too
            for (Thread w : workers) {
                w.interrupt(); // wakes the workers blocked in take()
            }
            for (Thread w : workers) {
                w.join();
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
