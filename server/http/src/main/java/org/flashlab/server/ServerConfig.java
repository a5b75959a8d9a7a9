package org.flashlab.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

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
 */
public record ServerConfig(String host, int port, Path docroot, Duration idleTimeout, Limits limits) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(15);

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(docroot, "docroot");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(limits, "limits");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive: " + idleTimeout);
        }
    }

    /** Loopback, an ephemeral port, default timeout and limits. */
    public static ServerConfig of(Path docroot) {
        return new ServerConfig("127.0.0.1", 0, docroot, DEFAULT_IDLE_TIMEOUT, Limits.DEFAULT);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, docroot, idleTimeout, limits);
    }

    public ServerConfig withHost(String newHost) {
        return new ServerConfig(newHost, port, docroot, idleTimeout, limits);
    }

    public ServerConfig withIdleTimeout(Duration newTimeout) {
        return new ServerConfig(host, port, docroot, newTimeout, limits);
    }
}
