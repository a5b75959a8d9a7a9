package org.flashlab.reference.mtdynamic;

/*
 * MT with an Apache-style dynamic pool: the pool grows when too few threads are idle and shrinks
 * when too many are (Apache's MinSpareThreads and MaxSpareThreads, bounded by MaxRequestWorkers).
 *
 * Map:
 *   the acceptor queues each connection, and starts a new worker when at most `minSpare` are idle
 *   (the queued connection is about to take one of them)
 *   and fewer than `maxThreads` exist; a worker that takes a connection while others still wait does
 *   the same, so a burst that arrives faster than threads start still gets its threads;
 *   each worker loops: wait up to one second for a connection; serve it with BlockingConnection; or,
 *   if none came and more than `maxSpare` threads are idle, retire;
 *   `idle` and `live` are counters any thread may update; they steer growth, so an off-by-one under
 *   a race costs one thread too many or too few for a second, never a lost connection.
 *
 * Compared with mt-pool: memory follows load. Compared with mt-per-connection: threads are reused,
 * and `maxThreads` bounds them. Connections beyond `maxThreads` wait in the queue.
 */

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.flashlab.reference.common.AcceptingServer;
import org.flashlab.server.ServerConfig;

public final class DynamicPoolServer extends AcceptingServer {
    private static final long IDLE_CHECK_MILLIS = 1_000; // Apache's maintenance interval

    private final int minSpare;
    private final int maxSpare;
    private final int maxThreads;
    private final LinkedBlockingQueue<SocketChannel> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger idle = new AtomicInteger();
    private final AtomicInteger live = new AtomicInteger();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    public DynamicPoolServer(ServerConfig config, int minSpare, int maxSpare, int maxThreads) throws IOException {
        super("mt-dynamic", config, config.newHandler());
        if (minSpare < 1 || maxSpare < minSpare || maxThreads < maxSpare) {
            throw new IllegalArgumentException("need 1 <= minSpare <= maxSpare <= maxThreads, got "
                    + minSpare + ", " + maxSpare + ", " + maxThreads);
        }
        this.minSpare = minSpare;
        this.maxSpare = maxSpare;
        this.maxThreads = maxThreads;
    }

    @Override
    protected void startWorkers() {
        for (int i = 0; i < minSpare; i++) {
            spawn();
        }
    }

    @Override
    protected void dispatch(SocketChannel connection) {
        queue.add(connection);
        growIfShort();
    }

    /** Starts a worker when too few are idle and connections are waiting. Any thread. */
    private void growIfShort() {
        if (idle.get() <= minSpare && live.get() < maxThreads) {
            spawn();
        }
    }

    private void spawn() {
        live.incrementAndGet();
        Thread t = Thread.ofPlatform().name("mt-dynamic-worker").unstarted(this::work);
        workers.add(t);
        t.start();
    }

    private void work() {
        try {
            while (!stopping) {
                idle.incrementAndGet();
                SocketChannel connection;
                try {
                    connection = queue.poll(IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                } finally {
                    idle.decrementAndGet();
                }
                if (connection != null) {
                    if (!queue.isEmpty()) {
                        growIfShort(); // a burst outran the acceptor's growth: keep growing while others wait
                    }
                    serve(connection);
                } else if (idle.get() >= maxSpare) {
                    return; // too many spare threads: retire this one
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            live.decrementAndGet();
            workers.remove(Thread.currentThread());
        }
    }

    @Override
    protected void stopWorkers() throws InterruptedException {
        stopping = true;
        for (Thread t : workers) {
            t.interrupt();
            t.join();
        }
        queue.clear(); // what was still queued was closed with every open connection
    }

    /** Live worker threads, for tests and metrics. */
    public int threads() {
        return live.get();
    }
}
