package org.flashlab.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import org.flashlab.files.StaticFileHandler;
import org.flashlab.http.HttpStatus;
import org.flashlab.http.RequestParser;
import org.flashlab.http.Response;

/**
 * Serves one connection from start to end on the calling thread, with blocking I/O: the request
 * loop of the MP, MT and iterative models. Read until a request is complete, answer it, and go
 * round again while the connection is kept alive. Pipelined requests already in the buffer are
 * answered in order before the next read.
 *
 * The thread blocks in read (bounded through SO_TIMEOUT: the idle timeout between requests, and
 * the rest of the request's deadline while one is arriving) and in write (bounded by
 * the client's reading: a client that never reads holds this thread until close() closes the socket,
 * which is the price of blocking I/O the lessons measure).
 */
public final class BlockingConnection {
    private static final System.Logger LOG = System.getLogger(BlockingConnection.class.getName());
    private static final int LINGER_MILLIS = 2_000;
    private static final int LINGER_MAX_BYTES = 64 * 1024;

    /** Where the connection stands, for logs and for the idle/in-request distinction. */
    enum State { READING, WRITING, CLOSED }

    private final SocketChannel channel;
    private final StaticFileHandler handler;
    private final ServerConfig config;
    private final ResponseWriter writer;
    private State state = State.READING;

    private BlockingConnection(SocketChannel channel, StaticFileHandler handler, ServerConfig config) {
        this.channel = channel;
        this.handler = handler;
        this.config = config;
        this.writer = new ResponseWriter(config.optimizations(), config.simulatedDisk());
    }

    /**
     * Serves the connection until the client leaves, keep-alive ends, the idle timeout passes, or an
     * I/O error occurs; then closes it. This is the connection's one error boundary: it never throws.
     * Precondition: the channel is connected and in blocking mode.
     */
    public static void serve(SocketChannel channel, StaticFileHandler handler, ServerConfig config) {
        new BlockingConnection(channel, handler, config).run();
    }

    private void run() {
        try (channel) {
            channel.socket().setTcpNoDelay(true);
            loop();
        } catch (IOException e) {
            // Resets and broken pipes are routine (a browser closing a tab); they end this connection only.
            LOG.log(System.Logger.Level.DEBUG, () -> "connection " + channel + " ended in " + state + ": " + e);
        } catch (RuntimeException e) {
            // A bug, not a client's doing: say so loudly, but keep the serving thread alive.
            LOG.log(System.Logger.Level.ERROR, "connection " + channel + " failed in " + state, e);
        }
        state = State.CLOSED;
    }

    private void loop() throws IOException {
        InputStream in = channel.socket().getInputStream();
        RequestParser parser = new RequestParser(config.limits());
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024).flip(); // empty, in read mode
        long requestDeadline = 0;
        while (true) {
            state = State.READING;
            boolean wasIdle = !parser.inProgress();
            RequestParser.State parsed = parser.parse(buffer);
            if (wasIdle && parser.inProgress()) {
                // The whole request must arrive within the idle timeout of its first byte, however
                // slowly it trickles in: a per-read timeout alone would let slowloris hold this thread.
                requestDeadline = System.nanoTime() + config.idleTimeout().toNanos();
            }
            if (parsed == RequestParser.State.REQUEST_LINE || parsed == RequestParser.State.HEADERS) {
                buffer.clear(); // the parser consumed everything it was given
                int n;
                try {
                    channel.socket().setSoTimeout(parser.inProgress()
                            ? remainingMillis(requestDeadline) : (int) config.idleTimeout().toMillis());
                    n = in.read(buffer.array(), 0, buffer.capacity());
                } catch (SocketTimeoutException e) {
                    if (parser.inProgress()) { // a half-sent request, not an idle keep-alive
                        send(Response.error(HttpStatus.REQUEST_TIMEOUT, false, false));
                        lingeringClose(in); // the client may still be sending: do not reset the 408 away
                    }
                    return;
                }
                if (n < 0) {
                    return; // the client closed its side
                }
                buffer.limit(n);
                continue;
            }
            if (parsed == RequestParser.State.FAILED) {
                send(Response.error(parser.error().status(), false, false));
                lingeringClose(in);
                return;
            }
            Response response = handler.respond(parser.request());
            send(response);
            if (!response.keepAlive()) {
                return;
            }
            parser.reset();
        }
    }

    /** Milliseconds until a deadline, at least 1 (SO_TIMEOUT 0 would mean wait forever). */
    private static int remainingMillis(long deadlineNanos) {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            return 1;
        }
        return (int) Math.min(left, Integer.MAX_VALUE);
    }

    /**
     * After refusing a request, half-closes and reads what the client already sent before closing.
     * Closing a socket with unread input makes the kernel send a reset, which can destroy the error
     * response before the client reads it (RFC 9112 section 9.6). Bounded in bytes and time.
     */
    private void lingeringClose(InputStream in) throws IOException {
        channel.shutdownOutput();
        long deadline = System.nanoTime() + LINGER_MILLIS * 1_000_000L;
        byte[] discard = new byte[4096];
        int total = 0;
        try {
            int n = 0;
            while (total < LINGER_MAX_BYTES && n >= 0) {
                channel.socket().setSoTimeout(remainingMillis(deadline)); // 2 s in all, not per read
                n = in.read(discard);
                total += Math.max(n, 0);
            }
        } catch (SocketTimeoutException e) {
            // The client neither sent more nor closed within the linger time: close anyway.
        }
    }

    /** Writes head and body, then releases the response's file. */
    private void send(Response response) throws IOException {
        state = State.WRITING;
        try (response) {
            writer.start(response);
            if (!writer.write(channel)) {
                throw new IllegalStateException("a blocking channel accepted only part of a write");
            }
        }
    }
}
