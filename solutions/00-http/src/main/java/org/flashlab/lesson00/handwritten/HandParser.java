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
        // BEGIN SOLUTION
        int[] budget = {MAX_HEAD_BYTES};
        String requestLine = readLine(in, budget);
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "a request line has three parts: " + requestLine);
        }
        String method = parts[0];
        String target = parts[1];
        String version = parts[2];
        if (method.isEmpty() || !method.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "not a method: " + method);
        }
        if (!target.startsWith("/")) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "a target starts with '/': " + target);
        }
        if (!version.matches("HTTP/\\d\\.\\d")) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "not an HTTP version: " + version);
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new HttpException(HttpStatus.HTTP_VERSION_NOT_SUPPORTED, version);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while (!(line = requireLine(in, budget)).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0 || Character.isWhitespace(line.charAt(colon - 1))) {
                // No name, or "Name :" (RFC 9112 5.1 says: reject it; proxies have been fooled by it).
                throw new HttpException(HttpStatus.BAD_REQUEST, "not a header field: " + line);
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            headers.merge(name, value, (first, second) -> first + ", " + second); // RFC 9110 5.3
        }
        return new Request(method, target, version, headers);
        // STARTER
        // // TODO Task 2: read the request line, then header lines until an empty line (README, "Task 2").
        // throw new UnsupportedOperationException("Task 2 is not done yet: HandParser.read (README, \"Task 2\")");
        // END SOLUTION
    }
    // BEGIN SOLUTION

    /** Like readLine, but the connection may not end here: the head is not complete yet. */
    private static String requireLine(InputStream in, int[] budget) throws IOException, HttpException {
        String line = readLine(in, budget);
        if (line == null) {
            throw new java.io.EOFException("the client closed the connection in the middle of a request head");
        }
        return line;
    }

    /**
     * Reads one line ending in LF (a CR before it is dropped), or returns null at end of stream
     * before any byte. Every byte, the LF included, is charged to {@code budget[0]}.
     */
    private static String readLine(InputStream in, int[] budget) throws IOException, HttpException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.size() == 0) {
                    return null;
                }
                throw new java.io.EOFException("the client closed the connection in the middle of a line");
            }
            if (--budget[0] < 0) {
                throw new HttpException(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                        "a request head is at most " + MAX_HEAD_BYTES + " bytes");
            }
            if (b == '\n') {
                break;
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1); // RFC 9110 5.5: octets, not UTF-8
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
    // END SOLUTION
}
