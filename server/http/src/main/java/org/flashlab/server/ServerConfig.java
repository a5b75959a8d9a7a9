package org.flashlab.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import org.flashlab.files.DocumentRoot;
import org.flashlab.files.Optimizations;
import org.flashlab.files.SimulatedDisk;
import org.flashlab.files.StaticFileHandler;
import org.flashlab.http.HttpDate;
import org.flashlab.http.Limits;

/**
 * What every model needs to know to start, whatever its concurrency.
 *
 * @param host        address to bind; 127.0.0.1 by default so a lab server is not exposed by accident
 * @param port        port to bind; 0 picks a free one
 * @param docroot     the directory served
 * @param idleTimeout how long a connection may sit with no request in progress before it is closed;
 *                    without it, idle keep-alive clients would hold a thread or a slot forever
 * @param limits      parser limits
 * @param optimizations the Flash optimizations a model applies (a student's server may ignore them)
 * @param reusePort   bind with SO_REUSEPORT, so that several processes can listen on one port and the
 *                    kernel spreads connections among them (the MP, N-SPED and hybrid models)
 * @param simulatedDisk an emulated disk and page cache for deterministic lessons, or null for the
 *                    real ones (see {@link SimulatedDisk})
 */
public record ServerConfig(String host, int port, Path docroot, Duration idleTimeout, Limits limits,
                           Optimizations optimizations, boolean reusePort, SimulatedDisk simulatedDisk) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(15);

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(docroot, "docroot");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(optimizations, "optimizations");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive: " + idleTimeout);
        }
    }

    /** Loopback, an ephemeral port, default timeout and limits, every optimization on. */
    public static ServerConfig of(Path docroot) {
        return new ServerConfig("127.0.0.1", 0, docroot, DEFAULT_IDLE_TIMEOUT, Limits.DEFAULT, Optimizations.ALL_ON, false, null);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, docroot, idleTimeout, limits, optimizations, reusePort, simulatedDisk);
    }

    public ServerConfig withHost(String newHost) {
        return new ServerConfig(newHost, port, docroot, idleTimeout, limits, optimizations, reusePort, simulatedDisk);
    }

    public ServerConfig withIdleTimeout(Duration newTimeout) {
        return new ServerConfig(host, port, docroot, newTimeout, limits, optimizations, reusePort, simulatedDisk);
    }

    public ServerConfig withReusePort(boolean newReusePort) {
        return new ServerConfig(host, port, docroot, idleTimeout, limits, optimizations, newReusePort, simulatedDisk);
    }

    /** The request handler this configuration describes: its docroot and its optimizations. */
    public StaticFileHandler newHandler() throws IOException {
        return new StaticFileHandler(new DocumentRoot(docroot, simulatedDisk), optimizations);
    }

    /**
     * Opens and binds a listening socket as configured. The backlog is large because a burst of
     * clients must queue in the kernel, not be refused, while the server is busy (as nginx's 511).
     */
    public ServerSocketChannel openListener() throws IOException {
        // The JDK reads its time-zone file (tzdb.dat) on first use: for log timestamps in the
        // default zone. Make that use happen now; later the process may be out of descriptors
        // (EMFILE), and the first log line about it would then fail with an Error.
        HttpDate.now();
        java.time.ZoneId.systemDefault().getRules();
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            listener.bind(new InetSocketAddress(host, port), 1024);
            return listener;
        } catch (IOException e) {
            listener.close();
            throw e;
        }
    }

    public ServerConfig withSimulatedDisk(SimulatedDisk disk) {
        return new ServerConfig(host, port, docroot, idleTimeout, limits, optimizations, reusePort, disk);
    }

    public ServerConfig withOptimizations(Optimizations newOptimizations) {
        return new ServerConfig(host, port, docroot, idleTimeout, limits, newOptimizations, reusePort, simulatedDisk);
    }
}
