package org.flashlab.lesson07.nsped;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.flashlab.files.StaticFileHandler;
import org.flashlab.lesson07.event.Reactor;
import org.flashlab.lesson07.workers.WorkerProcesses;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * Task 3: one N-SPED process. It is a whole SPED server: its own listener on the shared port
 * (SO_REUSEPORT), its own handler and caches, one reactor that accepts for itself.
 */
public final class NSpedWorker implements Server {
    private final ServerConfig config;
    private StaticFileHandler handler;
    private java.nio.channels.ServerSocketChannel listener;
    private Reactor reactor;

    public NSpedWorker(ServerConfig config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        NSpedWorker worker = new NSpedWorker(WorkerProcesses.worker(args));
        worker.start();
        WorkerProcesses.serveUntilStopped(worker);
    }

    @Override
    public void start() throws IOException {
        // BEGIN SOLUTION
        handler = config.newHandler();
        listener = config.openListener(); // with SO_REUSEPORT: WorkerProcesses.worker set it
        reactor = new Reactor("event-loop", config, handler, listener);
        reactor.start();
        // STARTER
        // // TODO Task 3: a handler, a listener, and a Reactor named "event-loop" that accepts from it
        // // (README, "Task 3").
        // throw new UnsupportedOperationException("Task 3 is not done yet: NSpedWorker.start (README, \"Task 3\")");
        // END SOLUTION
    }

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
        if (reactor != null) {
            reactor.close();
        }
        try {
            if (listener != null) {
                listener.close();
            }
        } catch (IOException e) {
            System.getLogger(NSpedWorker.class.getName()).log(System.Logger.Level.WARNING, "closing failed", e);
        }
        if (handler != null) {
            handler.close();
        }
    }
}
