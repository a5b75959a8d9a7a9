package org.flashlab.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A response ready to send: the head bytes, then a body that is either in memory or a region of an
 * open file. Models differ only in how they push these bytes out (a blocking write, a non-blocking
 * write resumed by the selector, a helper that faults the pages in first). A response holding a file
 * or a cached mapping must be {@link #close closed} once sent or abandoned: closing it closes the file,
 * or lets go of the mapping so that it can be unmapped.
 *
 * @param status      the status sent, for logs and tests
 * @param head        status line and headers; its position advances as it is written
 * @param body        an in-memory body, or null
 * @param file        a file to send from, or null; owned by this response
 * @param filePosition where in the file the body starts
 * @param fileCount   how many bytes of the file to send
 * @param keepAlive   whether the connection stays open after this response
 * @param source      the file the body comes from, or null; lets a helper process open it too (AMPED)
 * @param lease       what keeps a mapped body's memory valid until the response is closed, or null
 */
public record Response(HttpStatus status, ByteBuffer head, ByteBuffer body, FileChannel file,
                       long filePosition, long fileCount, boolean keepAlive, Path source, AutoCloseable lease)
        implements AutoCloseable {

    /** A response with no body, or whose body is sent elsewhere (HEAD, 304). */
    public static Response headOnly(HttpStatus status, ByteBuffer head, boolean keepAlive) {
        return new Response(status, head, null, null, 0, 0, keepAlive, null, null);
    }

    /** A response whose body is part of an open file. */
    public static Response file(HttpStatus status, ByteBuffer head, FileChannel file, long position, long count,
                                boolean keepAlive, Path source) {
        return new Response(status, head, null, file, position, count, keepAlive, source, null);
    }

    /** A response whose body is already in memory. */
    public static Response bytes(HttpStatus status, ByteBuffer head, ByteBuffer body, boolean keepAlive) {
        return new Response(status, head, body, null, 0, 0, keepAlive, null, null);
    }

    /**
     * A response whose body is a memory-mapped file (the mapped-file cache), valid until
     * {@code lease} is closed, which closing this response does.
     */
    public static Response mapped(HttpStatus status, ByteBuffer head, ByteBuffer body, boolean keepAlive, Path source,
                                  AutoCloseable lease) {
        return new Response(status, head, body, null, 0, body.remaining(), keepAlive, source, lease);
    }

    /**
     * The answer to a refused request: a short HTML page that names the status. Parse errors must
     * close the connection (the parser cannot tell where the next request starts); a 404 need not.
     */
    public static Response error(HttpStatus status, boolean keepAlive, boolean headRequest) {
        return error(status, keepAlive, headRequest, head -> head);
    }

    /** An error response with extra header fields, such as 416's Content-Range. */
    public static Response error(HttpStatus status, boolean keepAlive, boolean headRequest,
                                 UnaryOperator<ResponseHead> extraFields) {
        byte[] page = ("<!doctype html>\n<title>" + status.code() + " " + status.reason() + "</title>\n<h1>"
                + status.code() + " " + status.reason() + "</h1>\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer head = extraFields.apply(ResponseHead.status(status))
                .header("Content-Type", "text/html; charset=utf-8")
                .header("Content-Length", page.length)
                .build(keepAlive);
        return headRequest ? headOnly(status, head, keepAlive) : bytes(status, head, ByteBuffer.wrap(page), keepAlive);
    }

    /** Bytes of body this response sends after the head. */
    public long bodyLength() {
        return body != null ? body.remaining() : file != null ? fileCount : 0;
    }

    @Override
    public void close() throws IOException {
        try {
            if (file != null) {
                file.close();
            }
        } finally {
            if (lease != null) {
                try {
                    lease.close();
                } catch (IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IOException("releasing a mapped body failed", e);
                }
            }
        }
    }
}
