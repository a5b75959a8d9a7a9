package org.flashlab.reference.event;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import org.flashlab.files.StaticFileHandler;
import org.flashlab.http.HttpStatus;
import org.flashlab.http.RequestParser;
import org.flashlab.http.Response;
import org.flashlab.server.ResponseWriter;

/**
 * One client connection inside an event loop: a state machine driven by readiness events.
 *
 * <pre>
 *   READING --request complete--> WRITING ----------sent, keep-alive----------> READING
 *      |  |         |                ^    \---sent, close--> CLOSED
 *      |  |         +-- not in memory (AMTED/AMPED) --> AWAITING_DISK --helper done--^
 *      |  +-- path not in the pathname cache (AMTED/AMPED) --> TRANSLATING --helper done-->
 *      |          (then on as from "request complete": WRITING, or AWAITING_DISK)
 *      +--malformed--> WRITING (the error) --sent--> LINGERING --client closed or 2 s--> CLOSED
 *   any state --reset, timeout, close()--> CLOSED
 * </pre>
 *
 * Deadlines (checked once a second by the loop): an idle connection closes after the idle timeout;
 * a request must arrive completely within the idle timeout of its first byte, however slowly it
 * trickles in (that stops slowloris, which resets a per-byte timer forever); a client that stops
 * reading closes after the idle timeout without progress.
 *
 * Loop thread only, like everything the loop owns.
 */
final class Connection implements EventLoop.Readiness {
    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    private static final long LINGER_NANOS = 2_000_000_000L;
    private static final int READ_BUFFER = 8 * 1024;

    enum State { READING, TRANSLATING, AWAITING_DISK, WRITING, LINGERING, CLOSED }

    private final EventLoop loop;
    private final SocketChannel channel;
    SelectionKey key;
    private State state = State.READING;

    private final ByteBuffer input = ByteBuffer.allocate(READ_BUFFER).flip(); // unparsed bytes, in read mode
    private final RequestParser parser;
    private final ResponseWriter writer;
    private Response current;        // the response being fetched or written
    private boolean lingerAfterWrite; // the request was refused: drain before closing
    private long deadline;

    Connection(EventLoop loop, SocketChannel channel) {
        this.loop = loop;
        this.channel = channel;
        this.parser = new RequestParser(loop.config.limits());
        this.writer = new ResponseWriter(loop.config.optimizations(), loop.config.simulatedDisk());
        this.deadline = System.nanoTime() + idleNanos();
    }

    private long idleNanos() {
        return loop.config.idleTimeout().toNanos();
    }

    /** Moves to {@code next}, failing loudly if the machine is not where the caller believes. */
    private void transition(State from, State next) {
        if (state != from) {
            throw new IllegalStateException(this + ": transition " + from + " -> " + next + " from " + state);
        }
        state = next;
    }

    @Override
    public void ready(SelectionKey key) throws IOException {
        if (key.isReadable()) {
            switch (state) {
                case READING -> onReadable();
                case LINGERING -> onLingerReadable();
                default -> { } // not interested: a stale readiness from before the last interest change
            }
        }
        if (key.isValid() && key.isWritable() && state == State.WRITING) {
            if (writeSome()) {
                processInput();
            }
        }
    }

    private void onReadable() throws IOException {
        input.compact();
        int n;
        try {
            n = channel.read(input);
        } finally {
            input.flip();
        }
        if (n < 0) {
            close(); // the client is gone; a half-sent request is simply dropped
            return;
        }
        processInput();
    }

    /** Parses and answers every complete request in the buffer (pipelining), until it needs more bytes. */
    private void processInput() throws IOException {
        while (state == State.READING) {
            boolean wasIdle = !parser.inProgress();
            RequestParser.State parsed = parser.parse(input);
            if (wasIdle && parser.inProgress()) {
                deadline = System.nanoTime() + idleNanos(); // the whole request must arrive by then
            }
            switch (parsed) {
                case REQUEST_LINE, HEADERS -> {
                    if (!parser.inProgress()) {
                        deadline = System.nanoTime() + idleNanos(); // idle between requests
                    }
                    key.interestOps(SelectionKey.OP_READ);
                    return;
                }
                case FAILED -> {
                    lingerAfterWrite = true;
                    respond(Response.error(parser.error().status(), false, false), State.READING);
                }
                case COMPLETE -> {
                    String target = parser.request().target();
                    StaticFileHandler.Translation known = loop.handler.cached(target); // never blocks
                    if (known == null && loop.disk.needsTranslation(target)) {
                        transition(State.READING, State.TRANSLATING);
                        key.interestOps(0); // read nothing more until this request is answered
                        loop.disk.translate(target, this::translated);
                        return;
                    }
                    respond(known != null ? loop.handler.respond(parser.request(), known)
                            : loop.handler.respond(parser.request()), State.READING); // SPED: translates here
                }
            }
        }
    }

    /** A helper has translated the request's path. Runs on the loop thread. */
    private void translated(StaticFileHandler.Translation translation) {
        if (state == State.CLOSED) {
            return; // closed while the helper worked
        }
        try {
            // null: the helper died before answering; translate here, as SPED would.
            Response response = translation == null ? loop.handler.respond(parser.request())
                    : loop.handler.respond(parser.request(), translation);
            if (respond(response, State.TRANSLATING)) {
                processInput();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> this + " closed after: " + e);
            close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, this + ": bug after the translation", e);
            close();
        }
    }

    /**
     * Starts sending a response, from {@code from} (READING, or TRANSLATING after a helper). Returns
     * true when it is sent at once and the connection is back in READING, like {@link #writeSome}.
     */
    private boolean respond(Response response, State from) throws IOException {
        current = response;
        if (loop.disk.needsHelper(response)) {
            transition(from, State.AWAITING_DISK);
            key.interestOps(0); // read nothing more until this response is on its way
            loop.disk.fetch(response, this::diskDone);
            return false;
        }
        transition(from, State.WRITING);
        writer.start(response);
        return writeSome();
    }

    /** A helper has brought the response's pages into memory. Runs on the loop thread. */
    private void diskDone() {
        if (state == State.CLOSED) {
            return; // closed while the helper worked; close() already released the response
        }
        try {
            transition(State.AWAITING_DISK, State.WRITING);
            writer.start(current);
            if (writeSome()) {
                processInput();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> this + " closed after: " + e);
            close();
        } catch (RuntimeException e) {
            // Called from a helper's completion path, outside the loop's per-key boundary: be one.
            LOG.log(System.Logger.Level.ERROR, this + ": bug after the disk stage", e);
            close();
        }
    }

    /**
     * Writes what the socket takes. Returns true when the response is done and the connection is
     * back in READING; false when it waits for OP_WRITE, lingers or has closed.
     */
    private boolean writeSome() throws IOException {
        if (!writer.write(channel)) {
            key.interestOps(SelectionKey.OP_WRITE);
            deadline = System.nanoTime() + idleNanos(); // progress resets the write deadline
            return false;
        }
        Response done = current;
        current = null;
        done.close();
        if (lingerAfterWrite) {
            // RFC 9112 section 9.6: half-close, then read what the client already sent, so that
            // closing does not reset the connection and destroy the error response.
            transition(State.WRITING, State.LINGERING);
            channel.shutdownOutput();
            key.interestOps(SelectionKey.OP_READ);
            deadline = System.nanoTime() + LINGER_NANOS;
            return false;
        }
        if (!done.keepAlive()) {
            close();
            return false;
        }
        transition(State.WRITING, State.READING);
        parser.reset();
        deadline = System.nanoTime() + idleNanos();
        return true;
    }

    private void onLingerReadable() throws IOException {
        input.clear();
        int n = channel.read(input);
        input.clear().flip();
        if (n < 0) {
            close();
        }
    }

    /** Called once a second by the loop. */
    void checkDeadline(long now) {
        if (state == State.TRANSLATING || state == State.AWAITING_DISK || now - deadline < 0) {
            return;
        }
        if (state == State.READING && parser.inProgress()) {
            // A request that did not arrive in time: answer 408, then close (RFC 9110 section 15.5.9).
            try {
                lingerAfterWrite = true;
                respond(Response.error(HttpStatus.REQUEST_TIMEOUT, false, false), State.READING);
                return;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> this + " closed after: " + e);
            }
        }
        close();
    }

    /** Releases everything. Idempotent. */
    void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (key != null) {
            key.cancel();
        }
        EventLoop.closeQuietly(channel);
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "closing a response's file failed: " + e);
            }
            current = null;
        }
        loop.closed(this);
    }

    @Override
    public String toString() {
        return "connection " + channel + " in " + state;
    }
}
