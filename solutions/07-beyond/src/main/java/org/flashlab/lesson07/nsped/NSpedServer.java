package org.flashlab.lesson07.nsped;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

import org.flashlab.lesson07.workers.WorkerProcesses;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * Zeus-like N-SPED: {@link #PROCESSES} processes, each a whole SPED server ({@link NSpedWorker})
 * on the same port. The paper ran Zeus with two processes on a disk-bound trace: while one waits for
 * the disk, the other serves. Nothing is shared: each process has its own caches.
 */
public final class NSpedServer implements Server {
    public static final int PROCESSES = 2;

    private final WorkerProcesses workers;

    public NSpedServer(ServerConfig config) {
        this.workers = new WorkerProcesses(config, PROCESSES, NSpedWorker.class, List.of());
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
