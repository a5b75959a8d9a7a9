package org.flashlab.grader.load;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * An incremental HTTP/1.1 response reader for the load generator: status, framing (Content-Length
 * or chunked), and a CRC-32 of the body, computed as the bytes arrive so that nothing is copied.
 * Bytes after the end of a response stay in the buffer (pipelining). One per connection; reset()
 * between responses. Allocates nothing per response.
 */
final class ResponseReader {
    enum State { HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER, DONE }

    /** The response cannot be framed; the connection must be closed. */
    static final class MalformedResponse extends Exception {
        MalformedResponse(String message) {
            super(message, null, false, false); // thrown per bad response: no stack trace to fill
        }
    }

    private final byte[] line = new byte[8192];
    private int lineLength;
    private boolean statusSeen;
    private State state = State.HEAD;
    private int status;
    private long contentLength;
    private boolean chunked;
    private boolean close;
    private long remaining;
    private long bodyBytes;
    private final CRC32 crc = new CRC32();

    void reset() {
        state = State.HEAD;
        lineLength = 0;
        statusSeen = false;
        status = 0;
        contentLength = -1;
        chunked = false;
        close = false;
        remaining = 0;
        bodyBytes = 0;
        crc.reset();
    }

    ResponseReader() {
        reset();
    }

    int status() {
        return status;
    }

    boolean close() {
        return close;
    }

    long bodyBytes() {
        return bodyBytes;
    }

    long crc() {
        return crc.getValue();
    }

    /** True once a whole response has been read; the buffer's position is just past it. */
    boolean read(ByteBuffer buffer) throws MalformedResponse {
        while (state != State.DONE && buffer.hasRemaining()) {
            switch (state) {
                case BODY, CHUNK_DATA -> body(buffer);
                default -> lines(buffer);
            }
        }
        return state == State.DONE;
    }

    /**
     * Takes bytes up to the next newline. Copying a small run into the line array and searching
     * there beats a get() per byte on a direct buffer several times over (this is the client's
     * hottest code after the kernel); a run is at most 128 bytes so that a short header line does
     * not drag a whole body through the copy.
     */
    private void lines(ByteBuffer buffer) throws MalformedResponse {
        if (lineLength == line.length) {
            throw new MalformedResponse("response line longer than " + line.length + " bytes");
        }
        int from = buffer.position();
        int run = Math.min(Math.min(buffer.remaining(), line.length - lineLength), 128);
        buffer.get(from, line, lineLength, run);
        for (int i = lineLength; i < lineLength + run; i++) {
            if (line[i] == '\n') {
                buffer.position(from + (i - lineLength) + 1);
                lineLength = i;
                line();
                return;
            }
        }
        buffer.position(from + run);
        lineLength += run;
    }

    private void body(ByteBuffer buffer) {
        int n = (int) Math.min(remaining, buffer.remaining());
        int limit = buffer.limit();
        buffer.limit(buffer.position() + n);
        crc.update(buffer); // advances the position by n
        buffer.limit(limit);
        remaining -= n;
        bodyBytes += n;
        if (remaining == 0) {
            state = state == State.BODY ? State.DONE : State.CHUNK_END;
        }
    }

    private void line() throws MalformedResponse {
        int n = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
        lineLength = 0;
        switch (state) {
            case HEAD -> head(n);
            case CHUNK_SIZE -> chunkSize(n);
            case CHUNK_END -> {
                if (n != 0) {
                    throw new MalformedResponse("chunk not followed by CRLF");
                }
                state = State.CHUNK_SIZE;
            }
            case TRAILER -> {
                if (n == 0) {
                    state = State.DONE;
                }
            }
            default -> throw new IllegalStateException("line in state " + state);
        }
    }

    private void head(int n) throws MalformedResponse {
        if (!statusSeen) {
            // "HTTP/1.1 200 OK": the code is at bytes 9 to 11.
            if (n < 12 || line[0] != 'H' || line[4] != '/' || line[8] != ' ') {
                throw new MalformedResponse("malformed status line");
            }
            status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
            if (status < 100 || status > 599) {
                throw new MalformedResponse("malformed status code");
            }
            statusSeen = true;
            return;
        }
        if (n == 0) {
            endOfHead();
            return;
        }
        if (startsWith("content-length:", n)) {
            contentLength = parseLong(15, n, 10);
        } else if (startsWith("transfer-encoding:", n)) {
            chunked = contains(18, n, "chunked");
        } else if (startsWith("connection:", n)) {
            close = contains(11, n, "close");
        }
    }

    private void endOfHead() throws MalformedResponse {
        if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (status == 204 || status == 304 || status / 100 == 1) {
            state = State.DONE;
        } else if (contentLength < 0) {
            throw new MalformedResponse("no Content-Length and not chunked");
        } else if (contentLength == 0) {
            state = State.DONE;
        } else {
            remaining = contentLength;
            state = State.BODY;
        }
    }

    private void chunkSize(int n) throws MalformedResponse {
        int end = 0;
        while (end < n && line[end] != ';' && line[end] != ' ') {
            end++;
        }
        long size = parseLong(0, end, 16);
        if (size == 0) {
            state = State.TRAILER;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
    }

    private boolean startsWith(String lowerName, int n) {
        if (n < lowerName.length()) {
            return false;
        }
        for (int i = 0; i < lowerName.length(); i++) {
            if (Character.toLowerCase(line[i]) != lowerName.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether line[from, to) holds {@code lower}, ignoring case: no String per header. */
    private boolean contains(int from, int to, String lower) {
        for (int start = from; start + lower.length() <= to; start++) {
            int i = 0;
            while (i < lower.length() && Character.toLowerCase(line[start + i]) == lower.charAt(i)) {
                i++;
            }
            if (i == lower.length()) {
                return true;
            }
        }
        return false;
    }

    private long parseLong(int from, int to, int radix) throws MalformedResponse {
        long value = 0;
        int digits = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(line[i], radix);
            if (d >= 0) {
                value = value * radix + d;
                digits++;
            } else if (line[i] != ' ' && line[i] != '\t') {
                throw new MalformedResponse("malformed number in a response header");
            }
        }
        if (digits == 0 || digits > 15) {
            throw new MalformedResponse("missing or huge number in a response header");
        }
        return value;
    }
}
