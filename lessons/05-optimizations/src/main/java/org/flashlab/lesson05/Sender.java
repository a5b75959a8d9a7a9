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
        // TODO Task 4: send the head and then the body (in memory, or a file region), with one
        // vectored write when `gather` is on and transferTo when `zeroCopy` is on (README, "Task 4").
        throw new UnsupportedOperationException("Task 4 is not done yet: Sender.write (README, \"Task 4\")");
    }
}
