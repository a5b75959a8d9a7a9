package org.flashlab.contract;

import static org.flashlab.contract.Fixture.ABSENT;
import static org.flashlab.contract.Fixture.PRESENT;
import static org.flashlab.contract.Fixture.raw;
import static org.flashlab.contract.Fixture.request;

import java.util.ArrayList;
import java.util.List;

/**
 * The contract as a table: request in, expected response out. Each group cites where the rule comes
 * from. Every row runs on a fresh connection against {@link ContractSite}.
 */
public final class Fixtures {
    private static final String H = "Host: test";
    private static final String HELLO_DATE = "Fri, 01 Mar 2024 12:00:00 GMT";

    private Fixtures() {}

    /** Requests for files and directories that exist: 200, 301, 304, HEAD. */
    public static List<Fixture> serving() {
        return List.of(
                request("GET a text file", "GET /hello.txt HTTP/1.1", H)
                        .header("Content-Type", "text/plain; charset=utf-8").header("Content-Length", "14")
                        .header("Last-Modified", HELLO_DATE).header("Date", PRESENT).header("Server", PRESENT)
                        .bodyFile("hello.txt").expect(200),
                request("GET / serves index.html", "GET / HTTP/1.1", H)
                        .header("Content-Type", "text/html; charset=utf-8").bodyFile("index.html").expect(200),
                request("GET a directory with a slash serves its index.html", "GET /sub/ HTTP/1.1", H)
                        .bodyFile("sub/index.html").expect(200),
                request("GET a directory without a slash redirects", "GET /sub HTTP/1.1", H)
                        .header("Location", "/sub/").expect(301),
                request("Content-Type from the extension", "GET /sub/style.css HTTP/1.1", H)
                        .header("Content-Type", "text/css; charset=utf-8").bodyFile("sub/style.css").expect(200),
                request("an empty file has Content-Length 0", "GET /empty.txt HTTP/1.1", H)
                        .header("Content-Length", "0").bodyFile("empty.txt").expect(200),
                request("percent-encoded space", "GET /a%20b.txt HTTP/1.1", H).bodyFile("a b.txt").expect(200),
                request("percent-encoded UTF-8", "GET /caf%C3%A9.txt HTTP/1.1", H).bodyFile("café.txt").expect(200),
                request("the query string is ignored", "GET /hello.txt?x=1&y=%2F HTTP/1.1", H)
                        .bodyFile("hello.txt").expect(200),
                request("a symlink inside the root is followed", "GET /link-in.txt HTTP/1.1", H)
                        .bodyFile("hello.txt").expect(200),
                request("absolute-form target (RFC 9112 3.2.2)", "GET http://test/hello.txt HTTP/1.1", H)
                        .bodyFile("hello.txt").expect(200),
                request("dot segments are normalised", "GET /sub/../hello.txt HTTP/1.1", H)
                        .bodyFile("hello.txt").expect(200),
                request("repeated slashes are one", "GET //hello.txt HTTP/1.1", H).bodyFile("hello.txt").expect(200),
                request("HEAD has the GET headers and no body", "HEAD /hello.txt HTTP/1.1", H)
                        .header("Content-Length", "14").header("Content-Type", "text/plain; charset=utf-8")
                        .expect(200),
                raw("empty lines before the request line are ignored (RFC 9112 2.2)",
                        "\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: test\r\n\r\n").bodyFile("hello.txt").expect(200),
                raw("bare LF line endings are accepted (RFC 9112 2.2)", "GET /hello.txt HTTP/1.1\nHost: test\n\n")
                        .bodyFile("hello.txt").expect(200),
                request("HTTP/1.0 needs no Host and closes by default", "GET /hello.txt HTTP/1.0")
                        .header("Connection", "close").bodyFile("hello.txt").closes().expect(200),
                request("Connection: close is honoured", "GET /hello.txt HTTP/1.1", H, "Connection: close")
                        .header("Connection", "close").bodyFile("hello.txt").closes().expect(200),
                request("header names are case-insensitive", "GET /hello.txt HTTP/1.1", "hOsT: test")
                        .bodyFile("hello.txt").expect(200));
    }

    /** If-Modified-Since (RFC 9110 section 13.1.3). */
    public static List<Fixture> conditional() {
        return List.of(
                request("If-Modified-Since equal to Last-Modified gives 304", "GET /hello.txt HTTP/1.1", H,
                        "If-Modified-Since: " + HELLO_DATE).header("Last-Modified", HELLO_DATE).bodyText("").expect(304),
                request("If-Modified-Since later than Last-Modified gives 304", "GET /hello.txt HTTP/1.1", H,
                        "If-Modified-Since: Sat, 01 Jun 2024 00:00:00 GMT").bodyText("").expect(304),
                request("If-Modified-Since earlier gives 200", "GET /hello.txt HTTP/1.1", H,
                        "If-Modified-Since: Thu, 01 Feb 2024 00:00:00 GMT").bodyFile("hello.txt").expect(200),
                request("an unreadable If-Modified-Since is ignored", "GET /hello.txt HTTP/1.1", H,
                        "If-Modified-Since: yesterday").bodyFile("hello.txt").expect(200),
                request("an obsolete RFC 850 date is understood", "GET /hello.txt HTTP/1.1", H,
                        "If-Modified-Since: Friday, 01-Mar-24 12:00:00 GMT").bodyText("").expect(304));
    }

    /** Single byte ranges (RFC 9110 section 14); several ranges may be answered with the whole file. */
    public static List<Fixture> range() {
        return List.of(
                request("Range bytes=0-4", "GET /hello.txt HTTP/1.1", H, "Range: bytes=0-4")
                        .header("Content-Range", "bytes 0-4/14").header("Content-Length", "5")
                        .bodyText("Hello").expect(206),
                request("Range bytes=7- (open end)", "GET /hello.txt HTTP/1.1", H, "Range: bytes=7-")
                        .header("Content-Range", "bytes 7-13/14").bodyText("Flash!\n").expect(206),
                request("Range bytes=-6 (suffix)", "GET /hello.txt HTTP/1.1", H, "Range: bytes=-6")
                        .header("Content-Range", "bytes 8-13/14").bodyText("lash!\n").expect(206),
                request("Range past the end gives 416", "GET /hello.txt HTTP/1.1", H, "Range: bytes=100-")
                        .header("Content-Range", "bytes */14").expect(416),
                request("several ranges may be ignored: 200", "GET /hello.txt HTTP/1.1", H, "Range: bytes=0-1,3-4")
                        .header("Content-Range", ABSENT).bodyFile("hello.txt").expect(200));
    }

    /** Files that exist but must not be served, and files that do not exist. */
    public static List<Fixture> refusedFiles() {
        return List.of(
                request("missing file", "GET /missing.txt HTTP/1.1", H).expect(404),
                request("a file used as a directory", "GET /hello.txt/x HTTP/1.1", H).expect(404),
                request("hidden file", "GET /.hidden HTTP/1.1", H).expect(404),
                request("unreadable file (mode 000)", "GET /secret.txt HTTP/1.1", H).expect(403),
                request("directory without index.html (no listings)", "GET /noindex/ HTTP/1.1", H).expect(403));
    }

    /** Attempts to read outside the document root. None may succeed; the exact refusal is fixed. */
    public static List<Fixture> traversal() {
        return List.of(
                request("plain ..", "GET /../outside/secret.txt HTTP/1.1", H).closes().expect(400),
                request(".. deeper than the root", "GET /sub/../../outside/secret.txt HTTP/1.1", H).closes().expect(400),
                request("encoded dots %2e%2e", "GET /%2e%2e/outside/secret.txt HTTP/1.1", H).closes().expect(400),
                request("mixed .%2e", "GET /.%2e/outside/secret.txt HTTP/1.1", H).closes().expect(400),
                request("encoded slash ..%2f", "GET /..%2foutside%2fsecret.txt HTTP/1.1", H).closes().expect(400),
                request("encoded backslash", "GET /..%5coutside%5csecret.txt HTTP/1.1", H).closes().expect(400),
                request("NUL byte", "GET /hello.txt%00.html HTTP/1.1", H).closes().expect(400),
                request("double-encoded dots are a name, not ..", "GET /%252e%252e/outside/secret.txt HTTP/1.1", H)
                        .expect(404),
                request("symlink out of the root", "GET /link-out/secret.txt HTTP/1.1", H).expect(404),
                request("absolute filesystem path stays inside the root", "GET //etc/passwd HTTP/1.1", H).expect(404),
                request("no open redirect to another host", "GET //evil.example/.. HTTP/1.1", H)
                        .header("Location", "/").expect(301));
    }

    /** Malformed or unsupported requests: each gets its status and the connection is closed. */
    public static List<Fixture> malformed() {
        List<Fixture> rows = new ArrayList<>(List.of(
                raw("not HTTP at all", "HELLO\r\n\r\n").closes().expect(400),
                raw("no version (HTTP/0.9 style)", "GET /hello.txt\r\n\r\n").closes().expect(400),
                raw("two spaces in the request line", "GET  /hello.txt HTTP/1.1\r\nHost: test\r\n\r\n").closes().expect(400),
                request("malformed version", "GET /hello.txt HTTX/1.1", H).closes().expect(400),
                request("target without a leading slash", "GET hello.txt HTTP/1.1", H).closes().expect(400),
                request("HTTP/1.1 without Host (RFC 9112 3.2)", "GET /hello.txt HTTP/1.1").closes().expect(400),
                request("two Host headers", "GET /hello.txt HTTP/1.1", H, "Host: other").closes().expect(400),
                request("obsolete line folding (RFC 9112 5.2)", "GET /hello.txt HTTP/1.1", H, "X-A: b", " folded")
                        .closes().expect(400),
                request("whitespace before the colon (RFC 9112 5.1)", "GET /hello.txt HTTP/1.1", H, "X-A : b")
                        .closes().expect(400),
                request("a header line without a colon", "GET /hello.txt HTTP/1.1", H, "NoColon").closes().expect(400),
                raw("a bare CR inside a header", "GET /hello.txt HTTP/1.1\r\nHost: test\r\nX-A: b\rc\r\n\r\n")
                        .closes().expect(400),
                request("malformed percent-escape", "GET /%zz HTTP/1.1", H).closes().expect(400),
                request("percent-escape that is not UTF-8", "GET /%C3%28 HTTP/1.1", H).closes().expect(400),
                request("GET with a body (Content-Length)", "GET /hello.txt HTTP/1.1", H, "Content-Length: 5")
                        .closes().expect(400),
                request("GET with Transfer-Encoding", "GET /hello.txt HTTP/1.1", H, "Transfer-Encoding: chunked")
                        .closes().expect(400),
                request("both Content-Length and Transfer-Encoding (smuggling)", "GET /hello.txt HTTP/1.1", H,
                        "Content-Length: 0", "Transfer-Encoding: chunked").closes().expect(400),
                request("conflicting Content-Length values (smuggling)", "GET /hello.txt HTTP/1.1", H,
                        "Content-Length: 0", "Content-Length: 7").closes().expect(400),
                request("invalid Content-Length", "GET /hello.txt HTTP/1.1", H, "Content-Length: -1").closes().expect(400),
                request("POST is not implemented", "POST /hello.txt HTTP/1.1", H, "Content-Length: 0").closes().expect(501),
                request("PUT is not implemented", "PUT /hello.txt HTTP/1.1", H, "Content-Length: 0").closes().expect(501),
                request("DELETE is not implemented", "DELETE /hello.txt HTTP/1.1", H).closes().expect(501),
                request("an unknown method is not implemented", "BREW /pot HTTP/1.1", H).closes().expect(501),
                request("HTTP/2.0 is not supported", "GET /hello.txt HTTP/2.0", H).closes().expect(505),
                request("HTTP/0.9 is not supported", "GET /hello.txt HTTP/0.9", H).closes().expect(505),
                request("request line over 8 KiB", "GET /" + "a".repeat(9000) + " HTTP/1.1", H).closes().expect(414),
                request("header line over 8 KiB", "GET /hello.txt HTTP/1.1", H, "X-Big: " + "b".repeat(9000))
                        .closes().expect(431)));
        String[] many = new String[102];
        many[0] = "GET /hello.txt HTTP/1.1";
        many[1] = H;
        for (int i = 2; i < many.length; i++) {
            many[i] = "X-Header-" + i + ": v";
        }
        rows.add(request("more than 100 headers", many).closes().expect(431));
        String[] big = new String[12];
        big[0] = "GET /hello.txt HTTP/1.1";
        big[1] = H;
        for (int i = 2; i < big.length; i++) {
            big[i] = "X-Part-" + i + ": " + "p".repeat(4000);
        }
        rows.add(request("header section over 32 KiB", big).closes().expect(431));
        return rows;
    }
}
