package org.flashlab.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

import org.flashlab.files.Optimizations;
import org.flashlab.files.SimulatedDisk;
import org.flashlab.http.Response;

/**
 * Sends one {@link Response} at a time over a socket, and can stop and resume: on a non-blocking
 * channel {@link #write} returns false when the socket's send buffer is full, and the event loop
 * calls it again when the selector says the socket is writable. On a blocking channel it simply
 * runs to the end. Both kinds of model share it, so they send the same bytes the same way.
 *
 * How the bytes go out depends on two of the Flash optimizations: gather writes (head and body in
 * one writev(2)) and zero copy (file regions by sendfile(2), else read into a buffer and written).
 *
 * One writer per connection; not thread-safe.
 */
public final class ResponseWriter {
    private static final int CHUNK_BYTES = 32 * 1024;

    private final boolean gather;
    private final boolean zeroCopy;
    private final SimulatedDisk disk; // null: the real disk

    private Response response;
    private final ByteBuffer[] pair = new ByteBuffer[2];
    private long nextFileByte; // next file offset to send (zero copy) or to read into the chunk
    private long fileEnd;
    private ByteBuffer chunk; // allocated on first use, only when zero copy is off

    public ResponseWriter(Optimizations optimizations) {
        this(optimizations, null);
    }

    /** A writer that reads file bytes through an emulated disk, or the real one when {@code disk} is null. */
    public ResponseWriter(Optimizations optimizations, SimulatedDisk disk) {
        this.gather = optimizations.gatherWrites();
        this.zeroCopy = optimizations.zeroCopy();
        this.disk = disk;
    }

    /**
     * Starts sending a response. Precondition: the previous one, if any, was sent completely. With
     * an emulated disk, this is where the file's bytes are "read": a miss blocks the caller here,
     * as a page fault or a read(2) would block it while sending.
     */
    public void start(Response r) {
        if (response != null) {
            throw new IllegalStateException("start() while a response is still being sent");
        }
        if (disk != null && r.source() != null && r.fileCount() > 0) {
            disk.read(r.source(), r.filePosition(), r.fileCount());
        }
        response = r;
        nextFileByte = r.filePosition();
        fileEnd = r.filePosition() + r.fileCount();
        if (chunk != null) {
            chunk.clear().flip(); // empty
        }
    }

    /** True while a response is started and not yet completely sent. */
    public boolean busy() {
        return response != null;
    }

    /**
     * Writes as much as the channel accepts now.
     *
     * @return true when the whole response has been sent (the caller then closes it); false when
     *         the channel is full and the caller should wait until it is writable
     */
    public boolean write(SocketChannel channel) throws IOException {
        if (response == null) {
            throw new IllegalStateException("write() with no response started");
        }
        boolean done = response.body() != null ? writeHeadAndBody(channel) : writeHeadAndFile(channel);
        if (done) {
            response = null;
        }
        return done;
    }

    private boolean writeHeadAndBody(SocketChannel channel) throws IOException {
        ByteBuffer head = response.head();
        ByteBuffer body = response.body();
        if (gather) {
            pair[0] = head;
            pair[1] = body;
            while (head.hasRemaining() || body.hasRemaining()) {
                if (channel.write(pair) == 0) {
                    return false;
                }
            }
            return true;
        }
        return drain(channel, head) && drain(channel, body);
    }

    private boolean writeHeadAndFile(SocketChannel channel) throws IOException {
        if (!drain(channel, response.head())) {
            return false;
        }
        FileChannel file = response.file();
        if (file == null) {
            return true;
        }
        if (zeroCopy) {
            while (nextFileByte < fileEnd) {
                long sent = file.transferTo(nextFileByte, fileEnd - nextFileByte, channel);
                if (sent == 0) {
                    if (nextFileByte >= file.size()) {
                        throw new IOException("file shrank while being sent");
                    }
                    return false; // socket full
                }
                nextFileByte += sent;
            }
            return true;
        }
        if (chunk == null) {
            chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).flip();
        }
        while (true) {
            if (!drain(channel, chunk)) {
                return false;
            }
            if (nextFileByte >= fileEnd) {
                return true;
            }
            chunk.clear().limit((int) Math.min(CHUNK_BYTES, fileEnd - nextFileByte));
            int read = file.read(chunk, nextFileByte);
            if (read <= 0) {
                throw new IOException("file shrank while being sent");
            }
            nextFileByte += read;
            chunk.flip();
        }
    }

    /** Writes until the buffer is empty (true) or the channel is full (false). */
    private static boolean drain(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) == 0) {
                return false;
            }
        }
        return true;
    }
}
