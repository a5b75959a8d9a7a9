package org.flashlab.lesson07.hybrid;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.flashlab.files.StaticFileHandler;
import org.flashlab.lesson07.workers.WorkerProcesses;
import org.flashlab.server.BlockingConnection;
import org.flashlab.server.OpenConnections;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * Task 4: one process of the hybrid. {@code threads} threads share one listener (on the shared port,
 * SO_REUSEPORT), and each loops: accept a connection, serve it to its end with the shared layer's
 * {@code BlockingConnection}, accept the next. No thread accepts for another and no queue is needed.
 * The JDK's ServerSocketChannel holds a lock around accept(2), so one thread of a process waits in
 * the kernel and the others wait for the lock: an accept mutex, built in, as Apache used to stop
 * every waiter waking for each connection (the "thundering herd"). Apache 2's worker MPM has one
 * listener thread per process hand connections to its workers instead; this is a simplification.
 */
public final class HybridWorker implements Server {
    private final ServerConfig config;
    private final int threads;
    private final List<Thread> pool = new ArrayList<>();
    private final OpenConnections open = new OpenConnections();
    private StaticFileHandler handler;
    private ServerSocketChannel listener;
    private volatile boolean closed;

    public HybridWorker(ServerConfig config, int threads) {
        this.config = config;
        this.threads = threads;
    }

    public static void main(String[] args) throws Exception {
        HybridWorker worker = new HybridWorker(WorkerProcesses.worker(args), Integer.parseInt(args[WorkerProcesses.WORKER_ARGS]));
        worker.start();
        WorkerProcesses.serveUntilStopped(worker);
    }

    @Override
    public void start() throws IOException {
        // BEGIN SOLUTION
        handler = config.newHandler();
        listener = config.openListener(); // blocking, shared by every thread of this process
        for (int i = 0; i < threads; i++) {
            pool.add(Thread.ofPlatform().name("worker-thread-" + i).start(this::acceptAndServe));
        }
        // STARTER
        // // TODO Task 4: a handler, a listener, and `threads` platform threads named "worker-thread-N",
        // // each accepting and serving connections in turn (README, "Task 4").
        // throw new UnsupportedOperationException("Task 4 is not done yet: HybridWorker.start (README, \"Task 4\")");
        // END SOLUTION
    }
    // BEGIN SOLUTION

    private void acceptAndServe() {
        while (!closed) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    System.getLogger(HybridWorker.class.getName()).log(System.Logger.Level.WARNING, "accept failed: " + e);
                    LockSupport.parkNanos(50_000_000); // out of descriptors, say: do not spin
                }
                continue;
            }
            open.add(channel);
            if (closed) { // close() may have closed the others before this one was added
                open.closeAll();
            }
            try {
                BlockingConnection.serve(channel, handler, config); // this thread's until the client leaves
            } finally {
                open.remove(channel);
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
            listener.close(); // every accept() fails
        } catch (IOException e) {
            System.getLogger(HybridWorker.class.getName()).log(System.Logger.Level.WARNING, "closing failed", e);
        }
        open.closeAll(); // every blocked read fails
        for (Thread t : pool) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        handler.close();
    }
}
