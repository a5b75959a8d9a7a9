package org.flashlab.lesson00.handwritten;

import java.util.Map;

/**
 * One request as the hand-written parser sees it: the three parts of the request line, and the
 * header fields with their names in lower case (field names are case-insensitive, RFC 9110 5.1).
 */
public record Request(String method, String target, String version, Map<String, String> headers) {
    public Request {
        headers = Map.copyOf(headers);
    }

    /** The value of a header field, or null. {@code name} may be in any case. */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
