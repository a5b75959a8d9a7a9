package org.flashlab.lesson04.amped;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.flashlab.files.DocumentRoot;
import org.flashlab.files.SimulatedDisk;
import org.flashlab.files.StaticFileHandler.Translation;
import org.flashlab.http.HttpStatus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task 3, the helper's side, in this process: the loop's end of a Unix-domain socket pair asks, and
 * HelperProcess.answerRequests, on a thread here instead of in a process of its own, answers in
 * Wire's format.
 */
@Timeout(30)
class HelperProcessTest {
    @TempDir
    Path dir;

    /** Reads one whole reply: id, length, payload. */
    private static ByteBuffer reply(SocketChannel loop, long expectedId) throws Exception {
        ByteBuffer header = ByteBuffer.allocate(Wire.REPLY_HEADER);
        while (header.hasRemaining()) {
            assertThat(loop.read(header)).as("the helper's reply, before it closed").isNotNegative();
        }
        header.flip();
        assertThat(header.getLong()).as("the reply's id: the request it answers").isEqualTo(expectedId);
        ByteBuffer payload = ByteBuffer.allocate(header.getInt());
        while (payload.hasRemaining()) {
            assertThat(loop.read(payload)).isNotNegative();
        }
        return payload.flip();
    }

    private static void send(SocketChannel loop, ByteBuffer request) throws Exception {
        while (request.hasRemaining()) {
            loop.write(request);
        }
    }

    @Test
    @DisplayName("a helper translates targets (a file, a redirect, a refusal), loads regions, and stops when the loop closes")
    void answersEveryKindOfRequest() throws Exception {
        Path site = Files.createDirectory(dir.resolve("www"));
        Files.writeString(site.resolve("hello.txt"), "hello\n");
        Files.createDirectory(site.resolve("docs"));
        Files.writeString(site.resolve("docs/index.html"), "<p>docs</p>\n");
        DocumentRoot root = new DocumentRoot(site);
        Path socket = dir.resolve("helper.sock");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(socket));
            try (SocketChannel loop = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                 SocketChannel helper = listener.accept()) {
                CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                    try {
                        HelperProcess.answerRequests(new DataInputStream(Channels.newInputStream(helper)), helper, root,
                                new SimulatedDisk(0, Duration.ZERO));
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                served.whenComplete((done, failure) -> {
                    try {
                        helper.close(); // a helper that stops, or fails, closes its end: the loop reads the end
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });

                send(loop, Wire.translateRequest(7, 0, "/hello.txt"));
                Translation found = Wire.decodeTranslation(reply(loop, 7));
                assertThat(found.resolution()).as("/hello.txt translated")
                        .isEqualTo(new DocumentRoot.Found(site.resolve("hello.txt").toRealPath(),
                                Files.getLastModifiedTime(site.resolve("hello.txt")).toMillis() / 1000));

                send(loop, Wire.translateRequest(8, 0, "/docs"));
                assertThat(Wire.decodeTranslation(reply(loop, 8)).resolution()).as("a directory without its slash")
                        .isEqualTo(new DocumentRoot.Redirect("/docs/"));

                send(loop, Wire.translateRequest(9, 0, "/missing.html"));
                Translation refused = Wire.decodeTranslation(reply(loop, 9));
                assertThat(refused.resolution()).isNull();
                assertThat(refused.refusal().status()).as("a missing file's refusal").isEqualTo(HttpStatus.NOT_FOUND);

                send(loop, Wire.loadRequest(10, 0, 0, 6, site.resolve("hello.txt")));
                assertThat(reply(loop, 10).remaining()).as("a load's reply: nothing but its id").isZero();

                loop.shutdownOutput(); // the loop has gone: the helper reads end-of-file and returns
                served.get(10, TimeUnit.SECONDS);
            }
        }
    }
}
