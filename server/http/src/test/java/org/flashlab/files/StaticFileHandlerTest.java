package org.flashlab.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.flashlab.http.HttpRequest;
import org.flashlab.http.HttpStatus;
import org.flashlab.http.RequestParser;
import org.flashlab.http.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticFileHandlerTest {
    @TempDir
    Path www;
    StaticFileHandler handler;

    @BeforeEach
    void site() throws IOException {
        Files.writeString(www.resolve("hello.txt"), "Hello, Flash!\n");
        Files.setLastModifiedTime(www.resolve("hello.txt"), FileTime.from(Instant.parse("2024-03-01T12:00:00Z")));
        Files.createDirectories(www.resolve("sub"));
        handler = new StaticFileHandler(new DocumentRoot(www));
    }

    private static HttpRequest request(String... lines) {
        RequestParser parser = new RequestParser();
        String text = String.join("\r\n", lines) + "\r\n\r\n";
        assertThat(parser.parse(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1))))
                .isEqualTo(RequestParser.State.COMPLETE);
        return parser.request();
    }

    private static String head(Response r) {
        return StandardCharsets.ISO_8859_1.decode(r.head().duplicate()).toString();
    }

    @Test
    void servesAFileAsAFileRegion() throws IOException {
        try (Response r = handler.respond(request("GET /hello.txt HTTP/1.1", "Host: h"))) {
            assertThat(r.status()).isEqualTo(HttpStatus.OK);
            assertThat(r.file()).isNotNull();
            assertThat(r.bodyLength()).isEqualTo(14);
            assertThat(r.keepAlive()).isTrue();
            assertThat(head(r)).startsWith("HTTP/1.1 200 OK\r\n")
                    .contains("\r\nContent-Length: 14\r\n", "\r\nContent-Type: text/plain; charset=utf-8\r\n",
                            "\r\nLast-Modified: Fri, 01 Mar 2024 12:00:00 GMT\r\n", "\r\nConnection: keep-alive\r\n")
                    .endsWith("\r\n\r\n");
        }
    }

    @Test
    void headOpensNoFile() throws IOException {
        Response r = handler.respond(request("HEAD /hello.txt HTTP/1.0"));
        assertThat(r.file()).isNull();
        assertThat(r.body()).isNull();
        assertThat(r.keepAlive()).isFalse();
        assertThat(head(r)).contains("Content-Length: 14\r\n", "Connection: close\r\n");
        r.close();
    }

    @Test
    void rangesConditionalsAndRedirects() throws IOException {
        try (Response r = handler.respond(request("GET /hello.txt HTTP/1.1", "Host: h", "Range: bytes=7-"))) {
            assertThat(r.status()).isEqualTo(HttpStatus.PARTIAL_CONTENT);
            assertThat(r.filePosition()).isEqualTo(7);
            assertThat(r.fileCount()).isEqualTo(7);
            assertThat(head(r)).contains("Content-Range: bytes 7-13/14\r\n");
        }
        try (Response r = handler.respond(request("GET /hello.txt HTTP/1.1", "Host: h", "Range: bytes=0-1",
                "If-Range: \"etag\""))) {
            assertThat(r.status()).as("If-Range is not evaluated, so Range is ignored").isEqualTo(HttpStatus.OK);
        }
        Response unsatisfiable = handler.respond(request("GET /hello.txt HTTP/1.1", "Host: h", "Range: bytes=99-"));
        assertThat(unsatisfiable.status()).isEqualTo(HttpStatus.RANGE_NOT_SATISFIABLE);
        assertThat(head(unsatisfiable)).contains("Content-Range: bytes */14\r\n");
        assertThat(unsatisfiable.file()).isNull();
        Response notModified = handler.respond(request("GET /hello.txt HTTP/1.1", "Host: h",
                "If-Modified-Since: Fri, 01 Mar 2024 12:00:00 GMT"));
        assertThat(notModified.status()).isEqualTo(HttpStatus.NOT_MODIFIED);
        assertThat(notModified.bodyLength()).isZero();
        Response redirect = handler.respond(request("GET /sub HTTP/1.1", "Host: h"));
        assertThat(redirect.status()).isEqualTo(HttpStatus.MOVED_PERMANENTLY);
        assertThat(head(redirect)).contains("Location: /sub/\r\n");
        Response redirectHead = handler.respond(request("HEAD /sub HTTP/1.1", "Host: h"));
        assertThat(redirectHead.body()).isNull();
    }

    @Test
    void refusalsKeepTheConnectionOnlyWhenTheRequestWasSound() {
        Response missing = handler.respond(request("GET /missing HTTP/1.1", "Host: h"));
        assertThat(missing.status()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(missing.keepAlive()).isTrue();
        assertThat(StandardCharsets.UTF_8.decode(missing.body().duplicate()).toString()).contains("404 Not Found");
        Response traversal = handler.respond(request("GET /../x HTTP/1.1", "Host: h"));
        assertThat(traversal.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(traversal.keepAlive()).isFalse();
        Response headMissing = handler.respond(request("HEAD /missing HTTP/1.1", "Host: h"));
        assertThat(headMissing.body()).isNull();
    }

    @Test
    void translationIsAStepOfItsOwn() throws Exception {
        StaticFileHandler cached = new StaticFileHandler(new DocumentRoot(www), Optimizations.ALL_ON);
        assertThat(cached.cached("/hello.txt")).as("nothing looked up yet").isNull();
        StaticFileHandler.Translation found = cached.translate("/hello.txt");
        assertThat(found.resolution()).isInstanceOf(DocumentRoot.Found.class);
        assertThat(cached.cached("/hello.txt")).as("now in the pathname cache").isNotNull();
        assertThat(cached.respond(request("GET /hello.txt HTTP/1.1", "Host: t"), found).status()).isEqualTo(HttpStatus.OK);

        StaticFileHandler.Translation refused = cached.translate("/../etc/passwd");
        assertThat(refused.refusal().status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(cached.cached("/../etc/passwd")).as("refusals are not cached").isNull();
        assertThat(cached.respond(request("GET /x HTTP/1.1", "Host: t"), refused).status()).isEqualTo(HttpStatus.BAD_REQUEST);

        cached.remember("/elsewhere", found.resolution()); // a helper process's answer
        assertThat(cached.cached("/elsewhere")).isNotNull();
        assertThat(handler.cached("/hello.txt")).as("without a pathname cache, never").isNull();
        handler.remember("/hello.txt", found.resolution());
        assertThat(handler.cached("/hello.txt")).isNull();
        assertThatThrownBy(() -> new StaticFileHandler.Translation(null, null)).isInstanceOf(IllegalArgumentException.class);
        cached.close();
    }

    @Test
    void onAnEmulatedDiskATranslationLastsAsLongAsItsMetadata() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(64 * 1024, Duration.ZERO); // 64 metadata entries
        StaticFileHandler cached = new StaticFileHandler(new DocumentRoot(www, disk), Optimizations.ALL_ON);
        Path hello = www.resolve("hello.txt").toRealPath();
        assertThat(cached.root().candidate("/hello.txt?x=1")).isEqualTo(hello);
        cached.translate("/hello.txt");
        assertThat(disk.metadataMissing(hello)).as("the lookup went through the emulated disk").isZero();
        assertThat(cached.cached("/hello.txt")).isNotNull();
        for (int i = 0; i < 100; i++) {
            disk.cacheMetadata(www.resolve("other-" + i));
        }
        assertThat(cached.cached("/hello.txt")).as("its metadata was pushed out: a lookup would wait").isNull();
        cached.close();
    }
}
