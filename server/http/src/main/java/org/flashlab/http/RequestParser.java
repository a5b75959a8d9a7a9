package org.flashlab.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An incremental HTTP/1.1 request parser (RFC 9112). Feed it bytes in whatever pieces the network
 * delivers: one byte, half a header, or three pipelined requests at once. It consumes bytes only up to
 * the end of the current request and leaves the rest in the buffer, so pipelined requests stay queued
 * for the next call.
 *
 * <pre>
 *   REQUEST_LINE --line--> HEADERS --empty line--> COMPLETE --reset()--> REQUEST_LINE
 *        |                    |
 *        +------ bad input ---+--> FAILED (error() says which status)
 * </pre>
 *
 * Only GET and HEAD are served, so a request never has a body. Anything that announces one is refused
 * with 400 and the connection must be closed: a server that ignored the body would read it as the next
 * request, which is the root of request smuggling (RFC 9112 section 11.2).
 *
 * Not thread-safe: one parser belongs to one connection.
 */
public final class RequestParser {

    /** Where the parser stands. */
    public enum State { REQUEST_LINE, HEADERS, COMPLETE, FAILED }

    private final Limits limits;
    private final byte[] line;
    private int lineLength;
    private State state = State.REQUEST_LINE;

    // The request being assembled; valid in HEADERS and COMPLETE.
    private String method;
    private String target;
    private HttpVersion version;
    private Headers headers;
    private int headerBytes;

    private HttpRequest request;
    private HttpException error;

    public RequestParser(Limits limits) {
        this.limits = limits;
        this.line = new byte[Math.max(limits.maxRequestLine(), limits.maxHeaderLine()) + 1];
    }

    public RequestParser() {
        this(Limits.DEFAULT);
    }

    /**
     * Consumes bytes from {@code buffer} (between its position and limit) until one request is
     * complete, the input is refused, or the buffer is empty.
     *
     * @return COMPLETE (see {@link #request()}), FAILED (see {@link #error()}), or REQUEST_LINE or
     *         HEADERS when more bytes are needed
     */
    public State parse(ByteBuffer buffer) {
        while ((state == State.REQUEST_LINE || state == State.HEADERS) && buffer.hasRemaining()) {
            byte b = buffer.get();
            if (b == '\n') {
                endOfLine();
            } else if (lineLength < lineLimit() || (lineLength == lineLimit() && b == '\r')) {
                line[lineLength++] = b; // a limit counts the line's content; its CR may follow
            } else if (state == State.REQUEST_LINE) {
                fail(HttpStatus.URI_TOO_LONG, "request line longer than " + limits.maxRequestLine() + " bytes");
            } else {
                fail(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                        "header line longer than " + limits.maxHeaderLine() + " bytes");
            }
        }
        return state;
    }

    /** True when some bytes of a request have arrived but not all: a timeout now is a 408, not idle. */
    public boolean inProgress() {
        return state == State.HEADERS || (state == State.REQUEST_LINE && lineLength > 0);
    }

    /** The parsed request. Precondition: parse() returned COMPLETE. */
    public HttpRequest request() {
        if (state != State.COMPLETE) {
            throw new IllegalStateException("no complete request; state is " + state);
        }
        return request;
    }

    /** Why the input was refused. Precondition: parse() returned FAILED. */
    public HttpException error() {
        if (state != State.FAILED) {
            throw new IllegalStateException("no error; state is " + state);
        }
        return error;
    }

    /** Gets ready for the next request on the same connection. Precondition: state is COMPLETE. */
    public void reset() {
        if (state != State.COMPLETE) {
            throw new IllegalStateException("reset() after " + state + "; only a complete request can be followed by another");
        }
        state = State.REQUEST_LINE;
        lineLength = 0;
        request = null;
        headers = null;
    }

    private int lineLimit() {
        return state == State.REQUEST_LINE ? limits.maxRequestLine() : limits.maxHeaderLine();
    }

    private void endOfLine() {
        // RFC 9112 section 2.2: lines end in CRLF; a bare LF is accepted, a CR anywhere else is not.
        int length = lineLength;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        lineLength = 0;
        for (int i = 0; i < length; i++) {
            if (line[i] == '\r') {
                fail(HttpStatus.BAD_REQUEST, "bare CR in line");
                return;
            }
        }
        if (state == State.REQUEST_LINE) {
            requestLine(length);
        } else {
            headerLine(length);
        }
    }

    private void requestLine(int length) {
        if (length == 0) {
            return; // RFC 9112 section 2.2: ignore empty lines before the request line.
        }
        String text = new String(line, 0, length, StandardCharsets.ISO_8859_1);
        int firstSpace = text.indexOf(' ');
        int lastSpace = text.lastIndexOf(' ');
        if (firstSpace <= 0 || lastSpace == firstSpace || text.indexOf(' ', firstSpace + 1) != lastSpace) {
            fail(HttpStatus.BAD_REQUEST, "request line is not 'METHOD SP target SP version'");
            return;
        }
        String m = text.substring(0, firstSpace);
        String t = text.substring(firstSpace + 1, lastSpace);
        String v = text.substring(lastSpace + 1);
        if (!isToken(m)) {
            fail(HttpStatus.BAD_REQUEST, "method is not a token");
            return;
        }
        HttpVersion parsedVersion = version(v);
        if (state == State.FAILED) {
            return;
        }
        if (!m.equals("GET") && !m.equals("HEAD")) {
            fail(HttpStatus.NOT_IMPLEMENTED, "method " + m + " is not supported; only GET and HEAD are");
            return;
        }
        String path = originForm(t);
        if (path == null) {
            fail(HttpStatus.BAD_REQUEST, "request target is neither origin-form nor absolute-form");
            return;
        }
        method = m;
        target = path;
        version = parsedVersion;
        headers = new Headers();
        headerBytes = 0;
        state = State.HEADERS;
    }

    /** Parses "HTTP/x.y". Major 1 with a higher minor is treated as 1.1 (RFC 9110 section 2.5). */
    private HttpVersion version(String v) {
        if (v.length() != 8 || !v.startsWith("HTTP/") || v.charAt(6) != '.'
                || !isDigit(v.charAt(5)) || !isDigit(v.charAt(7))) {
            fail(HttpStatus.BAD_REQUEST, "malformed HTTP version '" + v + "'");
            return null;
        }
        if (v.charAt(5) != '1') {
            fail(HttpStatus.HTTP_VERSION_NOT_SUPPORTED, v + " is not supported; HTTP/1.0 and HTTP/1.1 are");
            return null;
        }
        return v.charAt(7) == '0' ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
    }

    /**
     * Returns the path-and-query of an origin-form ("/a?b") or absolute-form ("http://host/a") target,
     * or null for anything else. RFC 9112 section 3.2.2 requires servers to accept absolute-form.
     */
    private static String originForm(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return null; // controls, spaces and raw non-ASCII bytes must be percent-encoded
            }
        }
        if (t.startsWith("/")) {
            return t;
        }
        String lower = t.toLowerCase(Locale.ROOT);
        int schemeEnd = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
        if (schemeEnd < 0) {
            return null;
        }
        int slash = t.indexOf('/', schemeEnd);
        return slash < 0 ? "/" : t.substring(slash);
    }

    private void headerLine(int length) {
        if (length == 0) {
            endOfHeaders();
            return;
        }
        headerBytes += length;
        if (headers.size() >= limits.maxHeaderCount()) {
            fail(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "more than " + limits.maxHeaderCount() + " header fields");
            return;
        }
        if (headerBytes > limits.maxHeaderSection()) {
            fail(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "header section larger than " + limits.maxHeaderSection() + " bytes");
            return;
        }
        if (line[0] == ' ' || line[0] == '\t') {
            fail(HttpStatus.BAD_REQUEST, "obsolete line folding (RFC 9112 section 5.2)");
            return;
        }
        String text = new String(line, 0, length, StandardCharsets.ISO_8859_1);
        int colon = text.indexOf(':');
        // No whitespace is allowed between name and colon (RFC 9112 section 5.1): a proxy and a server
        // that disagree on "Content-Length :" would frame the message differently.
        if (colon <= 0 || !isToken(text.substring(0, colon))) {
            fail(HttpStatus.BAD_REQUEST, "malformed header field");
            return;
        }
        String value = trimOws(text.substring(colon + 1));
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                fail(HttpStatus.BAD_REQUEST, "control character in header value");
                return;
            }
        }
        headers.add(text.substring(0, colon).toLowerCase(Locale.ROOT), value);
    }

    private void endOfHeaders() {
        var hosts = headers.all("Host");
        if (hosts.size() > 1 || (version == HttpVersion.HTTP_1_1 && hosts.isEmpty())) {
            // RFC 9112 section 3.2: exactly one Host in HTTP/1.1.
            fail(HttpStatus.BAD_REQUEST, "HTTP/1.1 needs exactly one Host header");
            return;
        }
        boolean chunked = !headers.all("Transfer-Encoding").isEmpty();
        var lengths = headers.all("Content-Length");
        if (chunked && !lengths.isEmpty()) {
            fail(HttpStatus.BAD_REQUEST, "both Transfer-Encoding and Content-Length (request smuggling)");
            return;
        }
        if (chunked) {
            fail(HttpStatus.BAD_REQUEST, method + " must not have a body (Transfer-Encoding)");
            return;
        }
        long contentLength = 0;
        String seen = null;
        for (String value : lengths) {
            for (String part : value.split(",", -1)) {
                String p = part.strip();
                if (p.isEmpty() || p.length() > 18 || !p.chars().allMatch(RequestParser::isDigit)) {
                    fail(HttpStatus.BAD_REQUEST, "invalid Content-Length '" + value + "'");
                    return;
                }
                if (seen != null && !seen.equals(p)) {
                    fail(HttpStatus.BAD_REQUEST, "conflicting Content-Length values (request smuggling)");
                    return;
                }
                seen = p;
                contentLength = Long.parseLong(p);
            }
        }
        if (contentLength > 0) {
            fail(HttpStatus.BAD_REQUEST, method + " must not have a body (Content-Length " + contentLength + ")");
            return;
        }
        request = new HttpRequest(method, target, version, headers);
        state = State.COMPLETE;
    }

    /** Trims optional whitespace, which is only SP and HTAB (RFC 9110 section 5.6.3); other controls stay and are refused. */
    private static String trimOws(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(start, end);
    }

    private void fail(HttpStatus status, String detail) {
        error = new HttpException(status, detail);
        state = State.FAILED;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** RFC 9110 section 5.6.2: token = 1*tchar. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c)
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }
}
