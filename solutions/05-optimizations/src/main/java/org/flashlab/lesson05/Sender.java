package org.flashlab.lesson05;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.LongAdder;

import org.flashlab.files.SimulatedDisk;

import org.flashlab.http.Response;

/**
 * Task 4: how a response's bytes reach the socket, with two of Flash's optimizations as switches.
 *
 * <ul>
 *   <li><b>Gather writes</b> (writev(2), the lecture's "scatter-gather" DMA): the head and the body
 *       go out in one system call, {@code channel.write(ByteBuffer[])}, instead of two. For a small
 *       file that halves the writes, and the two never leave as two small packets.</li>
 *   <li><b>Zero copy</b> (sendfile(2), {@code FileChannel.transferTo}): the kernel sends a file's
 *       pages straight from the page cache. Without it the bytes are read into a buffer here, and
 *       written from it: two copies, and two system calls per chunk.</li>
 * </ul>
 *
 * Non-blocking: {@link #write} sends what the socket takes and returns false when it is full; the
 * loop calls it again when the socket is writable. One response at a time; loop thread only.
 */
public final class Sender {
    private static final int CHUNK = 32 * 1024;

    private final boolean gather;
    private final boolean zeroCopy;
    private Response response;
    private long next;  // the next file byte to send
    private long end;   // one past the last
    private ByteBuffer chunk; // without zero copy: file bytes read, not yet written
    private final Totals totals;
    private final SimulatedDisk disk; // null: the real disk

    /**
     * How the bytes went out, summed over every sender that shares it (a server's connections): for
     * tests, and for the curious. Any thread may read it.
     */
    public static final class Totals {
        final LongAdder writeCalls = new LongAdder();
        final LongAdder gatheredWrites = new LongAdder();
        final LongAdder sentFileBytes = new LongAdder();
        final LongAdder copiedFileBytes = new LongAdder();

        /** System calls that wrote to a socket (write, writev, sendfile). */
        public long writeCalls() {
            return writeCalls.sum();
        }

        /** Of those, vectored writes (head and body together). */
        public long gatheredWrites() {
            return gatheredWrites.sum();
        }

        /** File bytes sent by sendfile (transferTo). */
        public long sentFileBytes() {
            return sentFileBytes.sum();
        }

        /** File bytes read into a buffer and written from it. */
        public long copiedFileBytes() {
            return copiedFileBytes.sum();
        }
    }

    public Sender(boolean gather, boolean zeroCopy, Totals totals) {
        this(gather, zeroCopy, null, totals);
    }

    /** A sender that reads file bytes through an emulated disk, or the real one when {@code disk} is null. */
    public Sender(boolean gather, boolean zeroCopy, SimulatedDisk disk, Totals totals) {
        this.gather = gather;
        this.zeroCopy = zeroCopy;
        this.disk = disk;
        this.totals = totals;
    }

    /** Starts sending {@code r}; the previous response must be done. */
    public void start(Response r) {
        if (response != null) {
            throw new IllegalStateException("start() while a response is still being sent");
        }
        if (disk != null && r.source() != null && r.fileCount() > 0) {
            disk.read(r.source(), r.filePosition(), r.fileCount()); // a miss waits here, as a read would
        }
        response = r;
        next = r.filePosition();
        end = r.filePosition() + r.fileCount();
        if (chunk != null) {
            chunk.clear().flip(); // empty
        }
    }

    /** Writes what the socket takes now; true when the whole response is sent. */
    public boolean write(SocketChannel channel) throws IOException {
        // BEGIN SOLUTION
        boolean done = response.file() == null ? writeHeadAndBody(channel) : writeHeadAndFile(channel);
        if (done) {
            response = null;
        }
        return done;
        // STARTER
        // // TODO Task 4: send the head and then the body (in memory, or a file region), with one
        // // vectored write when `gather` is on and transferTo when `zeroCopy` is on (README, "Task 4").
        // throw new UnsupportedOperationException("Task 4 is not done yet: Sender.write (README, \"Task 4\")");
        // END SOLUTION
    }
    // BEGIN SOLUTION

    /** A body in memory (an error page, a mapped file), or none. */
    private boolean writeHeadAndBody(SocketChannel channel) throws IOException {
        ByteBuffer head = response.head();
        ByteBuffer body = response.body() != null ? response.body() : ByteBuffer.allocate(0);
        if (gather) {
            ByteBuffer[] both = {head, body};
            while (head.hasRemaining() || body.hasRemaining()) {
                totals.writeCalls.increment();
                totals.gatheredWrites.increment();
                if (channel.write(both) == 0) {
                    return false;
                }
            }
            return true;
        }
        return drain(channel, head) && drain(channel, body);
    }

    /** A region of an open file. */
    private boolean writeHeadAndFile(SocketChannel channel) throws IOException {
        ByteBuffer head = response.head();
        if (zeroCopy) {
            // sendfile cannot carry the head: it goes first, on its own (nginx does the same).
            if (!drain(channel, head)) {
                return false;
            }
            while (next < end) {
                totals.writeCalls.increment();
                long n = response.file().transferTo(next, end - next, channel);
                if (n == 0) {
                    if (next >= response.file().size()) {
                        // transferTo sends nothing past the end: a file truncated while being sent
                        // would otherwise look like a full socket, and the loop would wait forever.
                        throw new IOException("the file ended early (truncated while being sent?)");
                    }
                    return false;
                }
                next += n;
                totals.sentFileBytes.add(n);
            }
            return true;
        }
        if (chunk == null) {
            chunk = ByteBuffer.allocateDirect(CHUNK).flip();
        }
        while (head.hasRemaining() || chunk.hasRemaining() || next < end) {
            if (!chunk.hasRemaining() && next < end) {
                chunk.clear().limit((int) Math.min(CHUNK, end - next));
                int n = response.file().read(chunk, next);
                chunk.flip();
                if (n < 0) {
                    throw new IOException("the file ended early (truncated while being sent?)");
                }
                next += n;
                totals.copiedFileBytes.add(n);
            }
            long written;
            totals.writeCalls.increment();
            if (gather && head.hasRemaining()) {
                totals.gatheredWrites.increment();
                written = channel.write(new ByteBuffer[] {head, chunk});
            } else {
                written = channel.write(head.hasRemaining() ? head : chunk);
            }
            if (written == 0) {
                return false;
            }
        }
        return true;
    }

    /** Writes one buffer until it is empty or the socket is full. */
    private boolean drain(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            totals.writeCalls.increment();
            if (channel.write(buffer) == 0) {
                return false;
            }
        }
        return true;
    }
    // END SOLUTION
}
