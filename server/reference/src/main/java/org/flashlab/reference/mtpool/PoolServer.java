package org.flashlab.reference.mtpool;

/*
 * MT, boss/worker: a fixed pool of worker threads fed by a bounded queue (the lecture's boss/worker;
 * Flash-MT in the paper ran 64 threads).
 *
 * Map:
 *   the acceptor thread (the boss) accepts and queues each connection;
 *   `workers` threads take connections from the queue and serve each to its end with
 *   BlockingConnection, then take the next;
 *   close() closes the connections (waking blocked workers) and shuts the pool down.
 *
 * When the queue is full (every worker busy, `queue` connections already waiting), the boss answers
 * 503 Service Unavailable and closes: an explicit, cheap refusal instead of an unbounded queue that
 * would hide overload as ever-growing latency. The 503 is a few hundred bytes, which fits in any
 * socket buffer, so the boss never blocks on a slow client. (The queue counts a connection until a
 * worker has taken it out, so a burst can be refused a moment before an idle worker wakes up.)
 *
 * Costs: a kept-alive connection holds its worker even while idle, so at most `workers` clients are
 * served at once, and the idle timeout is what frees workers for the others.
 */

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.flashlab.http.HttpStatus;
import org.flashlab.http.Response;
import org.flashlab.reference.common.AcceptingServer;
import org.flashlab.server.ServerConfig;

public final class PoolServer extends AcceptingServer {
    private static final System.Logger LOG = System.getLogger(PoolServer.class.getName());

    private final ThreadPoolExecutor pool;

    /**
     * @param workers threads in the pool
     * @param queue   connections that may wait for a worker before new ones are refused with 503
     */
    public PoolServer(ServerConfig config, int workers, int queue) throws IOException {
        super("mt-pool", config, config.newHandler());
        pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                Thread.ofPlatform().name("mt-pool-worker-", 0).factory());
    }

    @Override
    protected void startWorkers() {
        pool.prestartAllCoreThreads();
    }

    @Override
    protected void dispatch(SocketChannel connection) {
        try {
            pool.execute(() -> serve(connection));
        } catch (RejectedExecutionException full) {
            refuse(connection);
        }
    }

    /** The full-queue policy: 503 and close, on the boss thread. */
    private void refuse(SocketChannel connection) {
        try (connection; Response busy = Response.error(HttpStatus.SERVICE_UNAVAILABLE, false, false)) {
            connection.write(new java.nio.ByteBuffer[] {busy.head(), busy.body()});
            // Read what has already arrived (without waiting), so closing sends FIN, not a reset
            // that could destroy the 503 before the client reads it (RFC 9112 section 9.6).
            connection.configureBlocking(false);
            connection.read(java.nio.ByteBuffer.allocate(16 * 1024));
            connection.shutdownOutput();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not send 503 to " + connection + ": " + e);
        } finally {
            open.remove(connection);
        }
    }

    @Override
    protected void stopWorkers() throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("mt-pool workers did not stop within 30 s");
        }
    }

    /** Connections waiting for a worker, for tests and metrics. */
    public int queued() {
        return pool.getQueue().size();
    }

    /** Threads currently in the pool, for tests and metrics. */
    public int threads() {
        return pool.getPoolSize();
    }
}
