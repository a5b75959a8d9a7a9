package org.flashlab.reference.multireactor;

/*
 * Multi-reactor: N SPED event loops in one process, fed by one acceptor thread (the design of
 * nginx's workers and of Netty's boss/worker event-loop groups, here inside one JVM).
 *
 * Map:
 *   the acceptor thread accepts (blocking) and hands each connection to the next loop in turn,
 *   through EventLoop.register (a queue plus Selector.wakeup(): only a loop's own thread touches
 *   its selector);
 *   each loop thread owns its connections for their whole life, so connections need no locks.
 *
 * What it buys over SPED: N cores instead of one. What it keeps: a blocking disk read still stalls
 * every connection of the loop that does it.
 */

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.flashlab.files.StaticFileHandler;
import org.flashlab.reference.event.DiskStage;
import org.flashlab.reference.event.EventLoop;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

public final class MultiReactorServer implements Server {
    private static final System.Logger LOG = System.getLogger(MultiReactorServer.class.getName());
    private static final long ACCEPT_BACKOFF_NANOS = 50_000_000;

    private final ServerConfig config;
    private final int loopCount;
    private final List<EventLoop> loops = new ArrayList<>();
    private volatile ServerSocketChannel listener;
    private volatile InetSocketAddress bound;
    private volatile Thread acceptor;
    private volatile boolean closed;

    public MultiReactorServer(ServerConfig config, int loops) {
        if (loops < 1) {
            throw new IllegalArgumentException("need at least one loop, got " + loops);
        }
        this.config = config;
        this.loopCount = loops;
    }

    @Override
    public void start() throws IOException {
        if (listener != null) {
            throw new IllegalStateException("multi-reactor already started");
        }
        listener = config.openListener();
        bound = (InetSocketAddress) listener.getLocalAddress();
        StaticFileHandler handler = config.newHandler(); // shared: its caches are thread-safe
        for (int i = 0; i < loopCount; i++) {
            EventLoop loop = new EventLoop("reactor-" + i, config, handler, DiskStage.NONE, null);
            loop.start();
            loops.add(loop);
        }
        acceptor = Thread.ofPlatform().name("reactor-acceptor").start(this::acceptLoop);
    }

    private void acceptLoop() {
        int next = 0;
        while (!closed) {
            try {
                SocketChannel channel = listener.accept();
                loops.get(next).register(channel);
                next = (next + 1) % loops.size();
            } catch (ClosedChannelException e) { // AsynchronousCloseException too: close() was called
                return;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "accept failed, backing off: " + e);
                LockSupport.parkNanos(ACCEPT_BACKOFF_NANOS);
            }
        }
    }

    @Override
    public InetSocketAddress address() {
        if (bound == null) {
            throw new IllegalStateException("multi-reactor not started");
        }
        return bound;
    }

    @Override
    public void close() {
        if (closed || listener == null) {
            return;
        }
        closed = true;
        try {
            listener.close(); // stop accepting first, then each loop closes its own connections
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the listener failed", e);
        }
        try {
            if (acceptor != null) {
                acceptor.join();
            }
            for (EventLoop loop : loops) {
                loop.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
