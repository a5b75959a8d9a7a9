package org.flashlab.lesson07.vt;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

import org.flashlab.files.StaticFileHandler;
import org.flashlab.server.BlockingConnection;
import org.flashlab.server.OpenConnections;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * Task 1: a virtual thread per connection (JEP 444, Java 21). The code is lesson 02's thread per
 * connection, blocking reads and writes and all; what changes is underneath. A virtual thread that
 * blocks on a socket unmounts from its carrier (a platform thread of a small ForkJoinPool), and the
 * JDK parks it on an epoll registration, as an event loop would; when the socket is ready it is
 * mounted again. Since JDK 24 (JEP 491) a virtual thread inside {@code synchronized} unmounts too:
 * it no longer pins its carrier. A file read still blocks its carrier, which the JDK makes up for
 * by adding a carrier for the while: helpers by another name, again.
 */
public final class VirtualThreadServer implements Server {
    private final ServerConfig config;
    private StaticFileHandler handler;
    private ServerSocketChannel listener;
    private Thread acceptor;
    private final OpenConnections open = new OpenConnections();
    private volatile boolean closed;

    public VirtualThreadServer(ServerConfig config) {
        this.config = config;
    }

    @Override
    public void start() throws IOException {
        // BEGIN SOLUTION
        handler = config.newHandler();
        listener = config.openListener(); // blocking: the acceptor thread does nothing else
        acceptor = Thread.ofPlatform().name("acceptor").start(this::acceptLoop);
        // STARTER
        // // TODO Task 1: a handler, a listener, and a platform thread named "acceptor" that accepts and
        // // starts a virtual thread per connection (README, "Task 1").
        // throw new UnsupportedOperationException("Task 1 is not done yet: VirtualThreadServer.start (README, \"Task 1\")");
        // END SOLUTION
    }
    // BEGIN SOLUTION

    private void acceptLoop() {
        Thread.Builder perConnection = Thread.ofVirtual().name("vt-connection-", 0);
        while (!closed) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    // Out of descriptors, say: wait a moment rather than spin, then try again.
                    System.getLogger(VirtualThreadServer.class.getName()).log(System.Logger.Level.WARNING, "accept failed: " + e);
                    LockSupport.parkNanos(50_000_000);
                }
                continue; // after close() the loop ends
            }
            open.add(channel);
            perConnection.start(() -> {
                try {
                    BlockingConnection.serve(channel, handler, config); // blocks: only this virtual thread
                } finally {
                    open.remove(channel);
                }
            });
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
            listener.close(); // the acceptor's accept() fails, and its loop ends
            acceptor.join();
            open.closeAll(); // each virtual thread's blocked read fails, and it ends
        } catch (IOException e) {
            System.getLogger(VirtualThreadServer.class.getName()).log(System.Logger.Level.WARNING, "closing failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            handler.close();
        }
    }
}
