package org.flashlab.grader.grading.broken;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.flashlab.files.StaticFileHandler;
import org.flashlab.server.BlockingConnection;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * The skeleton of the broken submissions: a thread accepts, and {@link #serve} handles each
 * connection, by default on a thread of its own with the shared layer's blocking loop (a correct MT
 * server). Each broken submission changes one thing, as a student's bug would.
 */
abstract class AcceptLoop implements Server {
    protected final ServerConfig config;
    protected final StaticFileHandler handler;
    private final ServerSocketChannel listener;
    private Thread acceptor;

    AcceptLoop(ServerConfig config) throws IOException {
        this.config = config;
        this.handler = config.newHandler();
        this.listener = config.openListener();
    }

    @Override
    public void start() throws IOException {
        acceptor = Thread.ofPlatform().name("broken-acceptor").start(() -> {
            while (listener.isOpen()) {
                try {
                    serve(listener.accept());
                } catch (IOException e) {
                    return; // closed
                }
            }
        });
    }

    /** One connection; by default a thread of its own, correctly served. */
    protected void serve(SocketChannel connection) throws IOException {
        Thread.ofPlatform().daemon().name("broken-conn").start(() -> BlockingConnection.serve(connection, handler, config));
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
        try {
            listener.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
