package org.flashlab.contract;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A response exactly as it came off the wire.
 *
 * @param statusLine the first line, without CRLF
 * @param status     the status code
 * @param headers    field names lower-cased, values in arrival order
 * @param body       the body bytes (empty for HEAD and 304)
 */
public record RawResponse(String statusLine, int status, Map<String, List<String>> headers, byte[] body) {

    /** The first value of a field, or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return statusLine + " " + headers + " (" + body.length + " body bytes)";
    }
}
