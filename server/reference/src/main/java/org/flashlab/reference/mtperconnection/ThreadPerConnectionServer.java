package org.flashlab.reference.mtperconnection;

/*
 * MT, thread per connection: the simplest multi-threaded server.
 *
 * Map:
 *   the acceptor thread accepts and starts a new platform thread for each connection;
 *   that thread runs BlockingConnection to the connection's end, then exits.
 *   `threads` holds the live ones so close() can wait for them.
 *
 * Pros (lecture): shared address space and state, cheap context switches compared with processes.
 * Cons: a thread (about 1 MiB of stack reserved, a kernel task) per connection, created and destroyed
 * per connection; no bound, so a flood of clients becomes a flood of threads.
 */

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.flashlab.reference.common.AcceptingServer;
import org.flashlab.server.ServerConfig;

public final class ThreadPerConnectionServer extends AcceptingServer {
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    public ThreadPerConnectionServer(ServerConfig config) throws IOException {
        super("mt-per-connection", config, config.newHandler());
    }

    @Override
    protected void dispatch(SocketChannel connection) {
        Thread t = Thread.ofPlatform().name("mt-conn").unstarted(() -> {
            try {
                serve(connection);
            } finally {
                threads.remove(Thread.currentThread());
            }
        });
        threads.add(t);
        t.start();
    }

    @Override
    protected void stopWorkers() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }
}
