package org.flashlab.lesson05;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import org.flashlab.http.HttpStatus;
import org.flashlab.http.RequestParser;
import org.flashlab.http.Response;
import org.flashlab.server.ServerConfig;

/**
 * Given: lesson 03's connection state machine, with this lesson's {@link FlashHandler} and
 * {@link Sender} in place of the shared handler and writer.
 *
 * <pre>
 *              readable: a whole request          write done, keep-alive
 *   READING ----------------------------> WRITING ------------------------> READING
 *      |  ^  readable: part of one (wait)  |   ^  writable: socket was full (wait)
 *      |  +--------------------------------+   |
 *      |                                        | write done: "Connection: close", or an error answer
 *      | end of stream, error, timeout          v
 *      +------------------------------> CLOSED <------ CLOSING (drain what the client still sends)
 * </pre>
 */
final class Connection {
    /** Where a connection stands between events. */
    enum State { READING, WRITING, CLOSING, CLOSED }

    private static final long LINGER_NANOS = 2_000_000_000L;

    // Every field is the event loop's: one thread, so no locks.
    private final SocketChannel channel;
    private final SelectionKey key;
    private final FlashHandler handler;
    private final ServerConfig config;
    private final RequestParser parser;
    private final Sender writer;
    private final ByteBuffer in = ByteBuffer.allocate(16 * 1024).flip(); // empty, ready to be parsed
    private Response response;       // the one being written, in WRITING
    private State state = State.READING;
    private long deadline;           // System.nanoTime() after which the sweep closes the connection

    Connection(SocketChannel channel, SelectionKey key, FlashHandler handler, ServerConfig config, Sender.Totals totals) {
        this.channel = channel;
        this.key = key;
        this.handler = handler;
        this.config = config;
        this.parser = new RequestParser(config.limits());
        this.writer = new Sender(config.optimizations().gatherWrites(), config.optimizations().zeroCopy(),
                config.simulatedDisk(), totals);
        this.deadline = System.nanoTime() + config.idleTimeout().toNanos();
    }

    State state() {
        return state;
    }

    /** The event loop calls this when the selector says the socket is readable or writable. */
    void onReady() throws IOException {
        switch (state) {
            case READING -> {
                in.compact();
                int n = channel.read(in);
                in.flip();
                if (n < 0) {
                    close(); // the client is done
                    return;
                }
                if (n > 0 && !parser.inProgress()) {
                    // A request has begun: it must be complete within the idle timeout, however slowly
                    // it trickles in (a deadline per read would let a slowloris client stay forever).
                    deadline = System.nanoTime() + config.idleTimeout().toNanos();
                }
                process();
            }
            case WRITING -> {
                deadline = System.nanoTime() + config.idleTimeout().toNanos(); // the client is reading
                if (writer.write(channel)) {
                    finishResponse();
                    process(); // a pipelined request may already be in the buffer
                }
            }
            case CLOSING -> {
                in.clear();
                if (channel.read(in) < 0) {
                    close();
                }
                in.clear().flip();
            }
            case CLOSED -> { }
        }
    }

    /**
     * Answers every complete request in the buffer, in order (pipelining), until one needs more bytes
     * or an answer must wait for the socket.
     */
    private void process() throws IOException {
        while (state == State.READING) {
            RequestParser.State parsed = parser.parse(in);
            switch (parsed) {
                case COMPLETE -> respond(handler.respond(parser.request()));
                case FAILED -> respond(Response.error(parser.error().status(), false, false));
                default -> {
                    return; // the parser took every byte: wait for the next readable event
                }
            }
        }
    }

    /** Starts writing a response, and writes what the socket takes now. */
    private void respond(Response r) throws IOException {
        response = r;
        state = State.WRITING;
        writer.start(r);
        if (writer.write(channel)) {
            finishResponse();
        } else {
            key.interestOps(SelectionKey.OP_WRITE); // the socket is full: wait until it drains
        }
    }

    /** The response is all written: next request, or the end of the connection. */
    private void finishResponse() throws IOException {
        boolean keepAlive = response.keepAlive();
        boolean refused = response.status().code() >= 400 && !keepAlive; // the client may still be sending
        response.close();
        response = null;
        if (!keepAlive) {
            if (refused) {
                startClosing();
            } else {
                close();
            }
            return;
        }
        parser.reset();
        state = State.READING;
        key.interestOps(SelectionKey.OP_READ);
        deadline = System.nanoTime() + config.idleTimeout().toNanos();
    }

    /**
     * After refusing a request: half-close and read what the client still sends, for a while. Closing
     * with unread bytes makes the kernel send a reset, which can destroy the error answer before the
     * client reads it (RFC 9112 9.6).
     */
    private void startClosing() throws IOException {
        channel.shutdownOutput();
        state = State.CLOSING;
        key.interestOps(SelectionKey.OP_READ);
        deadline = System.nanoTime() + LINGER_NANOS;
    }

    /** True when the connection has been idle, or slow, for too long. */
    boolean expired(long now) {
        return now - deadline > 0;
    }

    /** Closes the socket and lets go of the response's file. Idempotent. */
    void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing to do: the connection is gone either way.
        }
        if (response != null) {
            try {
                response.close();
            } catch (IOException e) {
                System.getLogger(Connection.class.getName()).log(System.Logger.Level.WARNING, "releasing a response failed", e);
            }
            response = null;
        }
    }
}
