package org.flashlab.lesson07.hybrid;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

import org.flashlab.lesson07.workers.WorkerProcesses;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * An Apache-like hybrid (Apache 2's worker MPM): a few processes, each with a pool of threads that
 * serve connections to their end. A crash takes down one process's threads, not every connection;
 * the threads of a process share its caches. What each thread costs is lesson 02's lesson.
 */
public final class HybridServer implements Server {
    public static final int PROCESSES = 2;
    /** Threads per process; Apache's worker MPM starts with 25 (ThreadsPerChild). */
    public static final int THREADS = 64;

    private final WorkerProcesses workers;

    public HybridServer(ServerConfig config) {
        this(config, PROCESSES, THREADS);
    }

    public HybridServer(ServerConfig config, int processes, int threads) {
        this.workers = new WorkerProcesses(config, processes, HybridWorker.class, List.of(Integer.toString(threads)));
    }

    @Override
    public void start() throws IOException {
        workers.start();
    }

    public List<ProcessHandle> workers() {
        return workers.workers();
    }

    @Override
    public InetSocketAddress address() {
        return workers.address();
    }

    @Override
    public void close() {
        workers.close();
    }
}
