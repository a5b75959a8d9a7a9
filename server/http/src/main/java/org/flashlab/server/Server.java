package org.flashlab.server;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The contract every server in the kit meets, the reference models and the students' alike.
 *
 * <ul>
 *   <li>{@link #start} binds (port 0 picks a free port) and returns once connections are accepted;</li>
 *   <li>{@link #address} reports the bound address, so callers can print {@link #readinessLine};</li>
 *   <li>{@link #close} stops accepting, closes every connection and ends every thread or child
 *       process it started, and returns only when they are gone. It is idempotent.</li>
 * </ul>
 */
public interface Server extends AutoCloseable {

    /** Binds and starts serving. Precondition: not started before. */
    void start() throws IOException;

    /** The bound address. Precondition: started. */
    InetSocketAddress address();

    /** Stops the server and releases everything it holds. */
    @Override
    void close();

    /** The bound port. Precondition: started. */
    default int port() {
        return address().getPort();
    }

    /**
     * The line a server prints on stdout once it accepts connections. Process launchers (the grader,
     * the contract suite, the benchmark) wait for exactly this text, so do not reword it.
     */
    static String readinessLine(InetSocketAddress address) {
        String host = address.getHostString();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]"; // an IPv6 literal in a URL is bracketed (RFC 3986 section 3.2.2)
        }
        return "Listening on http://" + host + ":" + address.getPort() + "/";
    }
}
