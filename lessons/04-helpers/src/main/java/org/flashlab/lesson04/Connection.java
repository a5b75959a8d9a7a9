package org.flashlab.lesson04;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import org.flashlab.files.StaticFileHandler;
import org.flashlab.files.StaticFileHandler.Translation;
import org.flashlab.http.HttpStatus;
import org.flashlab.http.RequestParser;
import org.flashlab.http.Response;
import org.flashlab.server.ResponseWriter;

/**
 * One connection's state machine: lesson 03's, with two states for the disk. Task 1 is the two
 * questions the loop asks before it does anything that might wait, and what it does on "yes".
 *
 * <pre>
 *   READING --request complete, path known--> (respond) ---------------------------+
 *      |  |                                                                        |
 *      |  +--path not in the pathname cache--> TRANSLATING --helper answered--> (respond)
 *      |                                                                           |
 *      |   (respond): bytes in memory? --yes--> WRITING --sent, keep-alive--> READING
 *      |                                  no --> AWAITING_DISK --helper fetched--> WRITING
 *      +--malformed--> WRITING (the error) --sent--> CLOSING --client closed or 2 s--> CLOSED
 *   any state --reset, timeout, close()--> CLOSED
 * </pre>
 *
 * While a helper works, the connection asks the selector for nothing (interest 0), so it reads no
 * pipelined request before the current one is answered. Loop thread only: no locks.
 */
final class Connection implements EventServer.Readiness {
    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    private static final long LINGER_NANOS = 2_000_000_000L;

    enum State { READING, TRANSLATING, AWAITING_DISK, WRITING, CLOSING, CLOSED }

    private final EventServer server;
    private final SocketChannel channel;
    private final StaticFileHandler handler;
    private final RequestParser parser;
    private final ResponseWriter writer;
    private final ByteBuffer in = ByteBuffer.allocate(16 * 1024).flip(); // empty, ready to be parsed
    private SelectionKey key;
    private Response response; // the one being fetched or written
    private State state = State.READING;
    private long deadline;

    Connection(EventServer server, SocketChannel channel) {
        this.server = server;
        this.channel = channel;
        this.handler = server.handler();
        this.parser = new RequestParser(server.config().limits());
        this.writer = new ResponseWriter(server.config().optimizations(), server.config().simulatedDisk());
        this.deadline = System.nanoTime() + idleNanos();
    }

    void register(SelectionKey selectionKey) {
        this.key = selectionKey;
    }

    State state() {
        return state;
    }

    private long idleNanos() {
        return server.config().idleTimeout().toNanos();
    }

    @Override
    public void ready(SelectionKey k) throws IOException {
        switch (state) {
            case READING -> {
                in.compact();
                int n = channel.read(in);
                in.flip();
                if (n < 0) {
                    close();
                    return;
                }
                if (n > 0 && !parser.inProgress()) {
                    deadline = System.nanoTime() + idleNanos(); // the whole request must arrive by then
                }
                process();
            }
            case WRITING -> {
                deadline = System.nanoTime() + idleNanos(); // the client is reading
                if (writer.write(channel)) {
                    finishResponse();
                    process();
                }
            }
            case CLOSING -> {
                in.clear();
                if (channel.read(in) < 0) {
                    close();
                }
                in.clear().flip();
            }
            case TRANSLATING, AWAITING_DISK, CLOSED -> { } // a stale event from before interest 0
        }
    }

    /** Answers every complete request in the buffer, in order, until one must wait. */
    private void process() throws IOException {
        while (state == State.READING) {
            switch (parser.parse(in)) {
                case COMPLETE -> {
                    // TODO Task 1: ask the pathname cache (handler.cached) first; on a miss, a helper
                    // translates while this connection waits in TRANSLATING (README, "Task 1").
                    respond(handler.respond(parser.request())); // translates here: may wait for the disk
                }
                case FAILED -> respond(Response.error(parser.error().status(), false, false));
                default -> {
                    return; // the parser took every byte: wait for more
                }
            }
        }
    }

    /** Answers with {@code r}: now, if its bytes are in memory; after a helper's fetch, if not. */
    private void respond(Response r) throws IOException {
        response = r;
        // TODO Task 1: if the response's bytes are not in memory (Residency.resident) and a helper is
        // available, wait in AWAITING_DISK while a helper fetches them (README, "Task 1").
        send(r);
    }

    /** Starts writing {@code r} (the emulated disk "reads" here: a miss would wait) and writes what fits. */
    private void send(Response r) throws IOException {
        state = State.WRITING;
        // The client's clock starts again now: a helper's wait was the server's, not the client's idleness.
        deadline = System.nanoTime() + idleNanos();
        writer.start(r);
        if (writer.write(channel)) {
            finishResponse();
        } else {
            key.interestOps(SelectionKey.OP_WRITE);
        }
    }

    private void finishResponse() throws IOException {
        boolean keepAlive = response.keepAlive();
        boolean refused = response.status().code() >= 400 && !keepAlive;
        response.close();
        response = null;
        if (!keepAlive) {
            if (refused) {
                // Half-close and drain, so that closing does not reset the error answer away (RFC 9112 9.6).
                channel.shutdownOutput();
                state = State.CLOSING;
                key.interestOps(SelectionKey.OP_READ);
                deadline = System.nanoTime() + LINGER_NANOS;
            } else {
                close();
            }
            return;
        }
        parser.reset();
        state = State.READING;
        key.interestOps(SelectionKey.OP_READ);
        deadline = System.nanoTime() + idleNanos();
    }

    /** The sweep's check: a connection waiting for a helper is the server's to finish, never expired. */
    void checkDeadline(long now) {
        if (state == State.TRANSLATING || state == State.AWAITING_DISK || now - deadline < 0) {
            return;
        }
        if (state == State.READING && parser.inProgress()) {
            try {
                respond(Response.error(HttpStatus.REQUEST_TIMEOUT, false, false)); // 408, then close
                return;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> this + " ended: " + e);
            }
        }
        close();
    }

    /** Closes the socket and lets go of the response's file. Idempotent. */
    void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "closing " + channel + " failed: " + e);
        }
        if (response != null) {
            try {
                response.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "releasing a response failed", e);
            }
            response = null;
        }
    }

    @Override
    public String toString() {
        return "connection " + channel + " in " + state;
    }
}
