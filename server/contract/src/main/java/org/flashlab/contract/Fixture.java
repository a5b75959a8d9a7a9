package org.flashlab.contract;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request and what the response to it must be: a row of the contract, as data.
 *
 * @param name     what the row checks, shown in the test report
 * @param request  the exact bytes sent
 * @param status   the expected status code
 * @param headers  expected header values; {@link #PRESENT} and {@link #ABSENT} check only presence
 * @param bodyFile the site file whose bytes the body must equal, or null
 * @param bodyText the exact body text, or null
 * @param head     true when the request is HEAD (the response has no body)
 * @param closes   true when the server must close the connection after responding
 */
public record Fixture(String name, String request, int status, Map<String, String> headers,
                      String bodyFile, String bodyText, boolean head, boolean closes) {
    public static final String PRESENT = "<present>";
    public static final String ABSENT = "<absent>";

    @Override
    public String toString() {
        return name;
    }

    /** Starts a fixture for a request given as lines; CRLFs and the final blank line are added. */
    public static Builder request(String name, String... lines) {
        return new Builder(name, String.join("\r\n", lines) + "\r\n\r\n");
    }

    /** Starts a fixture for raw bytes sent as they are. */
    public static Builder raw(String name, String bytes) {
        return new Builder(name, bytes);
    }

    /** A fluent way to write a row; {@link #expect} finishes it. */
    public static final class Builder {
        private final String name;
        private final String request;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String bodyFile;
        private String bodyText;
        private boolean closes;

        private Builder(String name, String request) {
            this.name = name;
            this.request = request;
        }

        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Builder bodyFile(String relative) {
            bodyFile = relative;
            return this;
        }

        public Builder bodyText(String text) {
            bodyText = text;
            return this;
        }

        public Builder closes() {
            closes = true;
            return this;
        }

        public Fixture expect(int status) {
            return new Fixture(name, request, status, Map.copyOf(headers), bodyFile, bodyText,
                    request.startsWith("HEAD "), closes);
        }
    }
}
