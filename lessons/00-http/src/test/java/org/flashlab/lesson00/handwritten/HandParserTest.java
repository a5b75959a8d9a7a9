package org.flashlab.lesson00.handwritten;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.flashlab.http.HttpException;
import org.flashlab.http.HttpStatus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Task 2: HandParser reads a request head byte by byte. Every hint points at the lesson's README. */
class HandParserTest {
    private static final String HINT = " (hint: README, \"Task 2\")";

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static HttpStatus refusal(String head) {
        try {
            Request r = HandParser.read(bytes(head));
            throw new AssertionError("expected the head to be refused, but it parsed as " + r + HINT);
        } catch (HttpException e) {
            return e.status();
        } catch (IOException e) {
            throw new AssertionError("expected an HttpException, got " + e + HINT, e);
        }
    }

    @Test
    @DisplayName("reads the request line's three parts and the header fields")
    void readsRequestLineAndHeaders() throws Exception {
        Request r = HandParser.read(bytes("GET /docs/a.html?x=1 HTTP/1.1\r\nHost: example.org\r\nAccept: */*\r\n\r\n"));
        assertThat(r).as("the parsed request" + HINT).isNotNull();
        assertThat(r.method()).as("method" + HINT).isEqualTo("GET");
        assertThat(r.target()).as("target" + HINT).isEqualTo("/docs/a.html?x=1");
        assertThat(r.version()).as("version" + HINT).isEqualTo("HTTP/1.1");
        assertThat(r.headers()).as("header fields, names in lower case" + HINT)
                .containsEntry("host", "example.org").containsEntry("accept", "*/*").hasSize(2);
    }

    @Test
    @DisplayName("stops at the empty line: the next request's bytes stay unread")
    void stopsAtTheEmptyLine() throws Exception {
        InputStream in = bytes("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
        HandParser.read(in);
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
                .as("what is left after the first head: read no further than its empty line" + HINT)
                .isEqualTo("GET /b HTTP/1.1\r\n\r\n");
    }

    @Test
    @DisplayName("header names are case-insensitive, values lose their surrounding spaces, repeats are joined")
    void headerNamesAndValues() throws Exception {
        Request r = HandParser.read(bytes("GET / HTTP/1.0\r\nX-Thing:   a  \r\nx-THING: b\r\n\r\n"));
        assertThat(r.header("X-Thing")).as("two X-Thing fields become one, joined by \", \" (RFC 9110 5.3)" + HINT)
                .isEqualTo("a, b");
        assertThat(r.version()).isEqualTo("HTTP/1.0");
    }

    @Test
    @DisplayName("a lone LF ends a line too (RFC 9112 2.2 lets a server accept it)")
    void bareLineFeeds() throws Exception {
        Request r = HandParser.read(bytes("GET / HTTP/1.1\nHost: x\n\n"));
        assertThat(r.header("host")).as("Host, from a head with LF line ends" + HINT).isEqualTo("x");
    }

    @Test
    @DisplayName("returns null when the client closes before sending anything")
    void nothingSent() throws Exception {
        assertThat(HandParser.read(bytes(""))).as("read() of a connection closed at once" + HINT).isNull();
    }

    @Test
    @DisplayName("a head cut off in the middle is an IOException, not a request")
    void cutOff() {
        assertThatThrownBy(() -> HandParser.read(bytes("GET / HTTP/1.1\r\nHost: x\r\n")))
                .as("read() of a head whose empty line never came" + HINT)
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> HandParser.read(bytes("GET / HT")))
                .as("read() of a request line cut in half" + HINT)
                .isInstanceOf(IOException.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET /\r\n\r\n", "GET  / HTTP/1.1\r\n\r\n", "get / HTTP/1.1\r\n\r\n",
            "GET index.html HTTP/1.1\r\n\r\n", "GET / HTTP/1\r\n\r\n", "GET / HTTP/1.1 extra\r\n\r\n", "\r\n\r\n"})
    @DisplayName("a malformed request line is refused with 400 Bad Request")
    void malformedRequestLine(String head) {
        assertThat(refusal(head)).as("the status for the request line of " + head.strip() + HINT)
                .isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    @DisplayName("HTTP/2.0 in the request line is refused with 505")
    void unsupportedVersion() {
        assertThat(refusal("GET / HTTP/2.0\r\n\r\n")).as("the status for a well-formed but unsupported version" + HINT)
                .isEqualTo(HttpStatus.HTTP_VERSION_NOT_SUPPORTED);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NoColonHere", ": no name", "Host : x"})
    @DisplayName("a malformed header field is refused with 400")
    void malformedHeader(String field) {
        assertThat(refusal("GET / HTTP/1.1\r\n" + field + "\r\n\r\n")).as("the status for the header field " + field + HINT)
                .isEqualTo(HttpStatus.BAD_REQUEST);
    }

    /** A head of exactly {@code bytes} bytes, every CR and LF counted. */
    private static String headOf(int bytes) {
        String start = "GET / HTTP/1.1\r\nX-Filler: ";
        return start + "a".repeat(bytes - start.length() - 4) + "\r\n\r\n";
    }

    @Test
    @DisplayName("a head longer than 8 KB (8,192 bytes, CRs and LFs counted) is refused with 431, before it fills our memory")
    void tooLong() {
        String head = headOf(HandParser.MAX_HEAD_BYTES + 1);
        assertThat(refusal(head)).as("the status for a " + head.length() + "-byte head" + HINT)
                .isEqualTo(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE);
        String huge = "GET / HTTP/1.1\r\nX-Filler: " + "a".repeat(100 * HandParser.MAX_HEAD_BYTES) + "\r\n\r\n";
        assertThat(refusal(huge)).as("the status for a head of 800 KB" + HINT)
                .isEqualTo(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE);
    }

    @Test
    @DisplayName("a head of exactly 8,192 bytes is still accepted")
    void exactlyTheLimit() throws Exception {
        Request r = HandParser.read(bytes(headOf(HandParser.MAX_HEAD_BYTES)));
        assertThat(r).as("the request from a head of exactly " + HandParser.MAX_HEAD_BYTES + " bytes" + HINT).isNotNull();
        assertThat(r.header("x-filler")).hasSize(HandParser.MAX_HEAD_BYTES - "GET / HTTP/1.1\r\nX-Filler: ".length() - 4);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PATCH", "A", "Z", "PROPFIND"})
    @DisplayName("any method made of capital letters parses (the server decides later what it serves)")
    void otherMethodsParse(String method) throws Exception {
        assertThat(HandParser.read(bytes(method + " / HTTP/1.1\r\n\r\n")).method()).as("the method" + HINT)
                .isEqualTo(method);
    }
}
