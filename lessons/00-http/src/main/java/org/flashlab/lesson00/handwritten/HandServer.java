package org.flashlab.lesson00.handwritten;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.flashlab.files.DocumentRoot;
import org.flashlab.http.HttpDate;
import org.flashlab.http.HttpException;
import org.flashlab.http.HttpStatus;
import org.flashlab.http.MimeTypes;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * Task 3: a whole web server by hand, one connection and one request at a time. It walks the seven
 * steps of the lecture in order, and each step is a line of {@link #serveOne} that you can point at:
 *
 * <pre>
 *   1 accept the connection        start()'s loop
 *   2 read the request             HandParser.read
 *   3 parse it                     HandParser.read
 *   4 find the file                DocumentRoot.resolve
 *   5 send the response header     sendHead
 *   6 read the file                Files.newInputStream
 *   7 send the data                transferTo
 * </pre>
 *
 * Every step but 3 can block: on the network (1, 2, 5, 7) or on the disk (4, 6). While this server
 * blocks, nobody else is served. That is the problem every later lesson solves in its own way.
 */
public final class HandServer implements Server {
    private static final System.Logger LOG = System.getLogger(HandServer.class.getName());

    private final ServerConfig config;
    private ServerSocketChannel listener;
    private Thread thread;
    private volatile SocketChannel current; // the connection being served, so close() can wake its thread
    private volatile boolean closed;

    public HandServer(ServerConfig config) {
        this.config = config;
    }

    @Override
    public void start() throws IOException {
        DocumentRoot root = new DocumentRoot(config.docroot());
        listener = config.openListener();
        thread = Thread.ofPlatform().name("hand-server").start(() -> acceptLoop(root));
    }

    private void acceptLoop(DocumentRoot root) {
        while (!closed) {
            SocketChannel accepted;
            try {
                accepted = listener.accept(); // step 1
            } catch (ClosedChannelException e) {
                return; // close() closed the listener
            } catch (IOException e) {
                // Out of descriptors (EMFILE), say: the connection waits in the backlog. Pause, or this
                // loop would spin until a descriptor is free.
                LOG.log(System.Logger.Level.WARNING, "accept failed, pausing: " + e);
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
                continue;
            }
            try (SocketChannel connection = accepted) {
                current = connection;
                if (closed) {
                    return; // close() ran while we accepted: it may not have seen this connection
                }
                // No lingering close after an error answer, unlike the shared layer: a client that is
                // still sending when we close may get a reset instead of our 400 (RFC 9112 9.6).
                serveOne(connection.socket().getInputStream(), connection.socket().getOutputStream(), root);
            } catch (IOException e) {
                // A client that hangs up early ends its own connection, never the server.
                LOG.log(System.Logger.Level.DEBUG, () -> "connection ended: " + e);
            } catch (RuntimeException e) {
                // A bug in serveOne: say so loudly, and go on serving the next connection.
                LOG.log(System.Logger.Level.ERROR, "serving a connection failed", e);
            }
        }
    }

    /**
     * Steps 2 to 7 for one request: reads it from {@code in} and writes the whole answer to {@code out},
     * with "Connection: close" (this server answers one request per connection).
     *
     * <ul>
     *   <li>GET or HEAD of a file: 200 with Content-Type and Content-Length (HEAD: no body);</li>
     *   <li>a directory named without its final '/': 301 with a Location;</li>
     *   <li>a request the parser refuses, or a file that is missing or forbidden: the exception's status;</li>
     *   <li>any other method: 501.</li>
     * </ul>
     * Nothing is written when the client sent nothing.
     */
    public static void serveOne(InputStream in, OutputStream out, DocumentRoot root) throws IOException {
        // TODO Task 3: steps 2 to 7 of the lecture (README, "Task 3"). HandParser.read reads and parses,
        // DocumentRoot.resolve finds the file, and the head's format is in the README.
        throw new UnsupportedOperationException("Task 3 is not done yet: HandServer.serveOne (README, \"Task 3\")");
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
            listener.close(); // wakes the thread blocked in accept()
            SocketChannel connection = current;
            if (connection != null) {
                connection.close(); // wakes the thread blocked in a read or a write
            }
            thread.join();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the listener failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
