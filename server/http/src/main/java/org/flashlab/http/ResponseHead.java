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
        text.append(prefix(status, HttpDate.now()));
    }

    /**
     * The lines every head starts with: the status line, Date and Server. The header cache keeps the
     * rest of a 200's head, which does not change, and puts these in front of it (see {@link #afterPrefix}).
     */
    public static String prefix(HttpStatus status, String date) {
        return "HTTP/1.1 " + status.code() + ' ' + status.reason() + "\r\nDate: " + date + "\r\nServer: " + SERVER + "\r\n";
    }

    /** The bytes of a built head after its {@link #prefix}: the part a header cache can keep. */
    public static byte[] afterPrefix(ByteBuffer head) {
        byte[] all = new byte[head.remaining()];
        head.duplicate().get(all);
        int lines = 0;
        int i = 0;
        while (lines < 3) { // the prefix's three lines
            if (all[i++] == '\n') {
                lines++;
            }
        }
        return java.util.Arrays.copyOfRange(all, i, all.length);
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
