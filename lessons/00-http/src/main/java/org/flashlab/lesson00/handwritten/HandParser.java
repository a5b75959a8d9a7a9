package org.flashlab.lesson00.handwritten;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.flashlab.http.HttpException;
import org.flashlab.http.HttpStatus;

/**
 * Task 2: reads and parses a request head by hand, so that you see the protocol byte by byte
 * (RFC 9112, sections 2 to 5). Later servers use the shared {@code org.flashlab.http.RequestParser},
 * which does the same from a buffer and can stop and resume.
 *
 * <pre>
 *   GET /index.html HTTP/1.1\r\n        the request line: method SP target SP version
 *   Host: example.org\r\n               header fields: name ":" value
 *   \r\n                                an empty line ends the head
 * </pre>
 */
public final class HandParser {
    /** The most bytes a head may have; a longer one is refused with 431, so no client can fill our memory. */
    public static final int MAX_HEAD_BYTES = 8 * 1024;

    private HandParser() {}

    /**
     * Reads one request head from {@code in} and parses it.
     *
     * @return the request, or null when the client closed the connection before sending a byte
     * @throws HttpException 400 for a malformed head, 505 for an HTTP version other than 1.0 and
     *                       1.1, 431 for a head longer than {@link #MAX_HEAD_BYTES}
     * @throws IOException   when reading fails, or the client closes in the middle of the head
     */
    public static Request read(InputStream in) throws IOException, HttpException {
        // TODO Task 2: read the request line, then header lines until an empty line (README, "Task 2").
        throw new UnsupportedOperationException("Task 2 is not done yet: HandParser.read (README, \"Task 2\")");
    }
}
