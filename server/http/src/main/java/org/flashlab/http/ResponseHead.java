package org.flashlab.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Builds a status line and header block. Every response goes through here, so every response has
 * Date, Server, Content-Length and Connection: a client can always find where the body ends.
 */
public final class ResponseHead {
    public static final String SERVER = "Flashlab/0.1";

    private final StringBuilder text = new StringBuilder(256);

    private ResponseHead(HttpStatus status) {
        text.append("HTTP/1.1 ").append(status.code()).append(' ').append(status.reason()).append("\r\n");
        header("Date", HttpDate.now());
        header("Server", SERVER);
    }

    /** Starts a head; callers add fields and finish with {@link #build}. */
    public static ResponseHead status(HttpStatus status) {
        return new ResponseHead(status);
    }

    public ResponseHead header(String name, String value) {
        text.append(name).append(": ").append(value).append("\r\n");
        return this;
    }

    public ResponseHead header(String name, long value) {
        text.append(name).append(": ").append(value).append("\r\n");
        return this;
    }

    /** Ends the head with the Connection field and the blank line; returns it ready to write. */
    public ByteBuffer build(boolean keepAlive) {
        text.append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n\r\n");
        return ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.ISO_8859_1));
    }
}
