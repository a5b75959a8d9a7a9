package org.flashlab.lesson07.multireactor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.flashlab.files.StaticFileHandler;
import org.flashlab.lesson07.event.Reactor;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * Task 2: several event loops in one process, one per core: the lecture's "event routing on
 * multi-CPU systems". One acceptor thread takes every connection and deals them out to the reactors
 * in turn; from then on a connection lives on one reactor, whose thread alone touches it, so
 * connections still need no locks. (Netty's boss and worker groups; nginx's workers are processes,
 * which is N-SPED.) The shared handler's caches are the only state the reactors share, and they are
 * made for any thread.
 *
 * <pre>
 *   acceptor --round robin--> reactor-0 (select loop) ... reactor-(N-1) (select loop)
 * </pre>
 */
public final class MultiReactorServer implements Server {
    /** One reactor per core: more cannot run at once, and fewer leaves a core idle. */
    public static final int REACTORS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final ServerConfig config;
    private final List<Reactor> reactors = new ArrayList<>();
    private StaticFileHandler handler;
    private ServerSocketChannel listener;
    private Thread acceptor;
    private volatile boolean closed;

    public MultiReactorServer(ServerConfig config) {
        this.config = config;
    }

    @Override
    public void start() throws IOException {
        // TODO Task 2: a handler, REACTORS reactors named "reactor-N" that accept nothing themselves,
        // a listener, and a platform thread named "acceptor" that deals connections out (README, "Task 2").
        throw new UnsupportedOperationException("Task 2 is not done yet: MultiReactorServer.start (README, \"Task 2\")");
    }

    /** Connections open on each reactor now: round robin spreads them. */
    public List<Integer> connectionsPerReactor() {
        return reactors.stream().map(Reactor::connections).toList();
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
        if (closed || listener == null) {
            return;
        }
        closed = true;
        try {
            listener.close();
            acceptor.join();
        } catch (IOException e) {
            System.getLogger(MultiReactorServer.class.getName()).log(System.Logger.Level.WARNING, "closing failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reactors.forEach(Reactor::close);
        handler.close();
    }
}
