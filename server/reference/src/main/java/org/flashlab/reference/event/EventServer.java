package org.flashlab.reference.event;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * A server that is one event loop accepting on its own listener: SPED with {@link DiskStage#NONE},
 * AMTED and AMPED with helpers. Owners: the loop thread owns the listener once started.
 */
public class EventServer implements Server {
    private final String name;
    private final ServerConfig config;
    private final DiskStage disk;
    private volatile ServerSocketChannel listener;
    private volatile InetSocketAddress bound;
    private volatile EventLoop loop;
    private volatile boolean closed;

    public EventServer(String name, ServerConfig config, DiskStage disk) {
        this.name = name;
        this.config = config;
        this.disk = disk;
    }

    @Override
    public void start() throws IOException {
        if (listener != null) {
            throw new IllegalStateException(name + " already started");
        }
        listener = config.openListener();
        bound = (InetSocketAddress) listener.getLocalAddress();
        loop = new EventLoop(name, config, config.newHandler(), disk, listener);
        loop.start();
    }

    @Override
    public InetSocketAddress address() {
        if (bound == null) {
            throw new IllegalStateException(name + " not started");
        }
        return bound;
    }

    /** The loop, for tests that count its wake-ups. */
    public EventLoop loop() {
        return loop;
    }

    @Override
    public void close() {
        if (closed || listener == null) {
            return;
        }
        closed = true;
        try {
            if (loop != null) {
                loop.close();
            } else {
                disk.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            EventLoop.closeQuietly(listener);
        }
    }
}
