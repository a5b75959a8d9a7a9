package org.flashlab.http;

/**
 * One parsed request. The target is still percent-encoded: decoding it is the document root's job,
 * because decoding before normalising is how encoded traversal ("%2e%2e/") slips through.
 */
public record HttpRequest(String method, String target, HttpVersion version, Headers headers) {

    public boolean isHead() {
        return method.equals("HEAD");
    }

    /**
     * Whether the client wants the connection kept open after the response (RFC 9112 section 9.3):
     * HTTP/1.1 persists unless it says "close"; HTTP/1.0 closes unless it says "keep-alive".
     */
    public boolean keepAlive() {
        if (headers.hasToken("Connection", "close")) {
            return false;
        }
        return version == HttpVersion.HTTP_1_1 || headers.hasToken("Connection", "keep-alive");
    }
}
