package org.flashlab.reference.vt;

/*
 * VT: one virtual thread per connection (JEP 444, JDK 21). The code is the thread-per-connection
 * server's with one word changed: Thread.ofVirtual() instead of Thread.ofPlatform().
 *
 * Map:
 *   the acceptor (a platform thread) starts a virtual thread per connection; it runs
 *   BlockingConnection, and when it blocks on a socket the JDK parks it and frees its carrier
 *   thread, which then runs another virtual thread. Underneath, the JDK waits on sockets with
 *   epoll: an event loop the programmer does not write.
 *   `threads` holds the live ones so close() can wait for them.
 *
 * Costs: a virtual thread is a heap object of a few hundred bytes until it runs deep stacks, so
 * 10,000 idle keep-alive connections are cheap. File reads still block the carrier; the JDK then
 * adds carriers temporarily, which amounts to helper threads for disk I/O (compare AMTED).
 */

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.flashlab.reference.common.AcceptingServer;
import org.flashlab.server.ServerConfig;

public final class VirtualThreadServer extends AcceptingServer {
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    public VirtualThreadServer(ServerConfig config) throws IOException {
        super("vt", config, config.newHandler());
    }

    @Override
    protected void dispatch(SocketChannel connection) {
        Thread t = Thread.ofVirtual().name("vt-conn").unstarted(() -> {
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
