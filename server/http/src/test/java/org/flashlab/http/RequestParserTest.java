package org.flashlab.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class RequestParserTest {

    /** How the bytes of a request reach the parser: the event-driven models see all three. */
    enum Feed {
        WHOLE, ONE_BYTE_AT_A_TIME, RANDOM_PIECES;

        RequestParser.State feed(RequestParser parser, byte[] bytes) {
            RequestParser.State state = parser.parse(ByteBuffer.allocate(0));
            Random random = new Random(42);
            int i = 0;
            while (i < bytes.length && (state == RequestParser.State.REQUEST_LINE || state == RequestParser.State.HEADERS)) {
                int n = switch (this) {
                    case WHOLE -> bytes.length;
                    case ONE_BYTE_AT_A_TIME -> 1;
                    case RANDOM_PIECES -> 1 + random.nextInt(17);
                };
                n = Math.min(n, bytes.length - i);
                state = parser.parse(ByteBuffer.wrap(bytes, i, n));
                i += n;
            }
            return state;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String lines(String... lines) {
        return String.join("\r\n", lines) + "\r\n\r\n";
    }

    // ---------------------------------------------------------------- accepted requests

    @ParameterizedTest
    @EnumSource(Feed.class)
    void parsesAGetInAnyPieces(Feed feed) {
        RequestParser parser = new RequestParser();
        byte[] request = bytes(lines("GET /a/b.html?x=1 HTTP/1.1", "Host: example", "Accept:  text/html ", "X-Empty:"));
        assertThat(feed.feed(parser, request)).isEqualTo(RequestParser.State.COMPLETE);
        HttpRequest r = parser.request();
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.target()).isEqualTo("/a/b.html?x=1");
        assertThat(r.version()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(r.headers().get("ACCEPT")).as("names ignore case; values lose surrounding spaces").isEqualTo("text/html");
        assertThat(r.headers().get("x-empty")).isEmpty();
        assertThat(r.headers().get("missing")).isNull();
        assertThat(r.keepAlive()).isTrue();
        assertThat(r.isHead()).isFalse();
    }

    static Stream<Arguments> keepAliveRules() {
        return Stream.of(
                Arguments.of("HTTP/1.1", null, true),
                Arguments.of("HTTP/1.1", "close", false),
                Arguments.of("HTTP/1.1", "Keep-Alive, Close", false),
                Arguments.of("HTTP/1.0", null, false),
                Arguments.of("HTTP/1.0", "keep-alive", true),
                Arguments.of("HTTP/1.0", "Keep-Alive", true),
                Arguments.of("HTTP/1.0", "close", false));
    }

    @ParameterizedTest(name = "{0} Connection: {1} -> keep-alive {2}")
    @MethodSource("keepAliveRules")
    void keepAliveFollowsRfc9112Section9_3(String version, String connection, boolean keepAlive) {
        RequestParser parser = new RequestParser();
        String text = connection == null ? lines("GET / " + version, "Host: h")
                : lines("GET / " + version, "Host: h", "Connection: " + connection);
        assertThat(parser.parse(ByteBuffer.wrap(bytes(text)))).isEqualTo(RequestParser.State.COMPLETE);
        assertThat(parser.request().keepAlive()).isEqualTo(keepAlive);
    }

    @Test
    void leavesPipelinedRequestsInTheBuffer() {
        RequestParser parser = new RequestParser();
        ByteBuffer buffer = ByteBuffer.wrap(bytes(lines("GET /1 HTTP/1.1", "Host: h") + lines("HEAD /2 HTTP/1.1", "Host: h")
                + "GET /3 HT"));
        assertThat(parser.parse(buffer)).isEqualTo(RequestParser.State.COMPLETE);
        assertThat(parser.request().target()).isEqualTo("/1");
        parser.reset();
        assertThat(parser.parse(buffer)).isEqualTo(RequestParser.State.COMPLETE);
        assertThat(parser.request().isHead()).isTrue();
        parser.reset();
        assertThat(parser.parse(buffer)).as("a partial third request waits for more").isEqualTo(RequestParser.State.REQUEST_LINE);
        assertThat(parser.inProgress()).isTrue();
        assertThat(parser.parse(ByteBuffer.wrap(bytes("TP/1.1\r\nHost: h\r\n\r\n")))).isEqualTo(RequestParser.State.COMPLETE);
        assertThat(parser.request().target()).isEqualTo("/3");
    }

    @Test
    void acceptsAbsoluteFormBareLfLeadingBlankLinesAndHigherMinorVersions() {
        RequestParser parser = new RequestParser();
        assertThat(parser.parse(ByteBuffer.wrap(bytes("\r\n\nGET HTTP://Example.com:80/p?q HTTP/1.9\nHost: h\n\n"))))
                .isEqualTo(RequestParser.State.COMPLETE);
        assertThat(parser.request().target()).isEqualTo("/p?q");
        assertThat(parser.request().version()).as("RFC 9110 2.5: 1.9 is answered as 1.1").isEqualTo(HttpVersion.HTTP_1_1);
        parser.reset();
        assertThat(parser.parse(ByteBuffer.wrap(bytes("GET https://h HTTP/1.0\r\n\r\n")))).isEqualTo(RequestParser.State.COMPLETE);
        assertThat(parser.request().target()).isEqualTo("/");
        assertThat(parser.request().version()).isEqualTo(HttpVersion.HTTP_1_0);
    }

    @Test
    void acceptsZeroAndRepeatedEqualContentLength() {
        RequestParser parser = new RequestParser();
        assertThat(parser.parse(ByteBuffer.wrap(bytes(lines("GET / HTTP/1.1", "Host: h", "Content-Length: 0, 0",
                "Content-Length: 0"))))).isEqualTo(RequestParser.State.COMPLETE);
    }

    @Test
    void acceptsRequestsExactlyAtTheLimits() {
        Limits limits = new Limits(64, 64, 3, 128);
        String line = "GET /" + "a".repeat(64 - 14) + " HTTP/1.1"; // exactly 64 bytes
        assertThat(line).hasSize(64);
        String header = "X: " + "v".repeat(61); // exactly 64 bytes
        RequestParser parser = new RequestParser(limits);
        assertThat(parser.parse(ByteBuffer.wrap(bytes(lines(line, "Host: h", header, "Y: 1")))))
                .isEqualTo(RequestParser.State.COMPLETE);
    }

    // ---------------------------------------------------------------- refused requests

    static Stream<Arguments> refused() {
        String h = "Host: h";
        return Stream.of(
                Arguments.of("not a request line", "HELLO\r\n\r\n", 400),
                Arguments.of("no version", "GET /\r\n\r\n", 400),
                Arguments.of("double space", "GET  / HTTP/1.1\r\n\r\n", 400),
                Arguments.of("trailing space", "GET / HTTP/1.1 \r\n\r\n", 400),
                Arguments.of("method not a token", "G(T / HTTP/1.1\r\n\r\n", 400),
                Arguments.of("lower-case http", lines("GET / http/1.1", h), 400),
                Arguments.of("version without dot", lines("GET / HTTP/11", h), 400),
                Arguments.of("version letters", lines("GET / HTTP/x.y", h), 400),
                Arguments.of("target without slash", lines("GET a HTTP/1.1", h), 400),
                Arguments.of("asterisk target", lines("GET * HTTP/1.1", h), 400),
                Arguments.of("authority target", lines("GET example.com:80 HTTP/1.1", h), 400),
                Arguments.of("ftp absolute target", lines("GET ftp://h/x HTTP/1.1", h), 400),
                Arguments.of("raw non-ASCII in target", lines("GET /caf\u00e9 HTTP/1.1", h), 400),
                Arguments.of("control in target", lines("GET /a\u0001b HTTP/1.1", h), 400),
                Arguments.of("bare CR in request line", "GET /\r HTTP/1.1\r\n\r\n", 400),
                Arguments.of("no Host in 1.1", lines("GET / HTTP/1.1"), 400),
                Arguments.of("two Hosts", lines("GET / HTTP/1.0", h, h), 400),
                Arguments.of("obs-fold with space", lines("GET / HTTP/1.1", h, "X: a", " b"), 400),
                Arguments.of("obs-fold with tab", lines("GET / HTTP/1.1", h, "X: a", "\tb"), 400),
                Arguments.of("space before colon", lines("GET / HTTP/1.1", h, "X : a"), 400),
                Arguments.of("no colon", lines("GET / HTTP/1.1", h, "X"), 400),
                Arguments.of("empty name", lines("GET / HTTP/1.1", h, ": a"), 400),
                Arguments.of("control in value", lines("GET / HTTP/1.1", h, "X: a\u0001"), 400),
                Arguments.of("vertical tab ending a value", lines("GET / HTTP/1.1", h, "X: a\u000b"), 400),
                Arguments.of("DEL in value", lines("GET / HTTP/1.1", h, "X: a\u007f"), 400),
                Arguments.of("bare CR in header", "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", 400),
                Arguments.of("body by Content-Length", lines("GET / HTTP/1.1", h, "Content-Length: 3"), 400),
                Arguments.of("body on HEAD", lines("HEAD / HTTP/1.1", h, "Content-Length: 1"), 400),
                Arguments.of("chunked body", lines("GET / HTTP/1.1", h, "Transfer-Encoding: chunked"), 400),
                Arguments.of("CL and TE", lines("GET / HTTP/1.1", h, "Transfer-Encoding: chunked", "Content-Length: 0"), 400),
                Arguments.of("conflicting CL lines", lines("GET / HTTP/1.1", h, "Content-Length: 0", "Content-Length: 1"), 400),
                Arguments.of("conflicting CL list", lines("GET / HTTP/1.1", h, "Content-Length: 0, 1"), 400),
                Arguments.of("negative CL", lines("GET / HTTP/1.1", h, "Content-Length: -0"), 400),
                Arguments.of("empty CL", lines("GET / HTTP/1.1", h, "Content-Length:"), 400),
                Arguments.of("huge CL", lines("GET / HTTP/1.1", h, "Content-Length: 99999999999999999999"), 400),
                Arguments.of("POST", lines("POST / HTTP/1.1", h), 501),
                Arguments.of("PUT", lines("PUT / HTTP/1.1", h), 501),
                Arguments.of("lower-case get is another method", lines("get / HTTP/1.1", h), 501),
                Arguments.of("OPTIONS", lines("OPTIONS / HTTP/1.1", h), 501),
                Arguments.of("HTTP/2.0", lines("GET / HTTP/2.0", h), 505),
                Arguments.of("HTTP/0.9", lines("GET / HTTP/0.9", h), 505),
                Arguments.of("HTTP/3.0", lines("GET / HTTP/3.0", h), 505));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("refused")
    void refusesMalformedRequestsWithTheirStatus(String name, String request, int status) {
        for (Feed feed : Feed.values()) {
            RequestParser parser = new RequestParser();
            assertThat(feed.feed(parser, bytes(request))).as("%s fed %s", name, feed).isEqualTo(RequestParser.State.FAILED);
            assertThat(parser.error().status().code()).as("%s fed %s: %s", name, feed, parser.error().getMessage())
                    .isEqualTo(status);
        }
    }

    static Stream<Arguments> overLimits() {
        Limits limits = new Limits(64, 64, 3, 100);
        return Stream.of(
                Arguments.of("request line one byte too long", limits, "GET /" + "a".repeat(51) + " HTTP/1.1\r\n", 414),
                Arguments.of("request line without end", limits, "GET /" + "a".repeat(500), 414),
                Arguments.of("header line one byte too long", limits, "GET / HTTP/1.1\r\nX: " + "v".repeat(62) + "\r\n", 431),
                Arguments.of("too many headers", limits, lines("GET / HTTP/1.1", "Host: h", "A: 1", "B: 2", "C: 3"), 431),
                Arguments.of("header section too large", limits,
                        lines("GET / HTTP/1.1", "A: " + "1".repeat(40), "B: " + "2".repeat(40), "C: " + "3".repeat(40)), 431),
                Arguments.of("default request line limit", Limits.DEFAULT,
                        "GET /" + "a".repeat(8 * 1024) + " HTTP/1.1\r\n", 414),
                Arguments.of("default header line limit", Limits.DEFAULT,
                        "GET / HTTP/1.1\r\nX: " + "a".repeat(8 * 1024) + "\r\n", 431));
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("overLimits")
    void refusesRequestsOverTheLimits(String name, Limits limits, String request, int status) {
        for (Feed feed : Feed.values()) {
            RequestParser parser = new RequestParser(limits);
            assertThat(feed.feed(parser, bytes(request))).as(name).isEqualTo(RequestParser.State.FAILED);
            assertThat(parser.error().status().code()).as(name).isEqualTo(status);
        }
    }

    @Test
    void stopsConsumingAtTheFirstError() {
        RequestParser parser = new RequestParser();
        ByteBuffer buffer = ByteBuffer.wrap(bytes("BAD\r\nGET / HTTP/1.1\r\n"));
        assertThat(parser.parse(buffer)).isEqualTo(RequestParser.State.FAILED);
        assertThat(buffer.remaining()).as("bytes after the error are left alone").isEqualTo(16);
        assertThat(parser.parse(buffer)).isEqualTo(RequestParser.State.FAILED);
        assertThat(buffer.remaining()).isEqualTo(16);
    }

    @Test
    void statePreconditionsFailLoudly() {
        RequestParser parser = new RequestParser();
        assertThat(parser.inProgress()).isFalse();
        assertThatThrownBy(parser::request).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(parser::error).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(parser::reset).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new Limits(1, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokensFollowRfc9110() {
        assertThat(RequestParser.isToken("X-Custom_1.2~!#$%&'*+^`|")).isTrue();
        assertThat(RequestParser.isToken("")).isFalse();
        assertThat(RequestParser.isToken("a b")).isFalse();
        assertThat(RequestParser.isToken("a:b")).isFalse();
    }
}
