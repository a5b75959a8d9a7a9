package org.flashlab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.flashlab.files.Optimizations;
import org.flashlab.http.HttpStatus;
import org.flashlab.http.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The writer resumes partial non-blocking writes and sends the same bytes whatever the optimizations. */
@Timeout(60)
class ResponseWriterTest {
    @TempDir
    Path dir;

    static Stream<Arguments> combinations() {
        return Stream.of(true, false).flatMap(gather -> Stream.of(true, false).flatMap(zeroCopy ->
                Stream.of("bytes", "file", "mapped").map(body -> Arguments.of(gather, zeroCopy, body))));
    }

    @ParameterizedTest(name = "gather={0} zeroCopy={1} body={2}")
    @MethodSource("combinations")
    void sendsHeadThenBodyAcrossPartialWrites(boolean gather, boolean zeroCopy, String kind) throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(3).nextBytes(data);
        Path file = Files.write(dir.resolve("data.bin"), data);
        byte[] head = "HTTP/1.1 200 OK\r\nContent-Length: 3145745\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             Socket client = smallBufferedClient(((InetSocketAddress) listener.getLocalAddress()).getPort());
             SocketChannel server = listener.accept();
             FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
             Selector selector = Selector.open()) {
            server.configureBlocking(false);
            server.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 8 * 1024); // small buffers: writes must be partial
            Response response = switch (kind) {
                case "bytes" -> Response.bytes(HttpStatus.OK, ByteBuffer.wrap(head), ByteBuffer.wrap(data), true);
                case "file" -> Response.file(HttpStatus.OK, ByteBuffer.wrap(head), channel, 0, data.length, true, file);
                default -> Response.mapped(HttpStatus.OK, ByteBuffer.wrap(head),
                        channel.map(FileChannel.MapMode.READ_ONLY, 0, data.length), true, file, null);
            };
            ResponseWriter writer = new ResponseWriter(new Optimizations(false, false, false, 0, gather, zeroCopy));
            writer.start(response);
            assertThat(writer.busy()).isTrue();
            assertThatThrownBy(() -> writer.start(response)).isInstanceOf(IllegalStateException.class);
            assertThat(writer.write(server)).as("nobody reads yet, so the first write stops early").isFalse();
            InputStream in = client.getInputStream();
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try {
                    return in.readNBytes(head.length + data.length);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            SelectionKey key = server.register(selector, SelectionKey.OP_WRITE);
            while (!writer.write(server)) {
                selector.select(5_000); // wait until the socket drains
                selector.selectedKeys().clear();
            }
            key.cancel();
            assertThat(writer.busy()).isFalse();
            byte[] all = received.get(30, TimeUnit.SECONDS);
            assertThat(new String(all, 0, head.length, StandardCharsets.ISO_8859_1)).isEqualTo(new String(head,
                    StandardCharsets.ISO_8859_1));
            assertThat(java.util.Arrays.equals(all, head.length, all.length, data, 0, data.length)).isTrue();
        }
    }

    private static Socket smallBufferedClient(int port) throws IOException {
        Socket client = new Socket();
        client.setReceiveBufferSize(8 * 1024);
        client.connect(new InetSocketAddress("127.0.0.1", port));
        return client;
    }

    @Test
    void writeWithoutAResponseIsABug() {
        ResponseWriter writer = new ResponseWriter(Optimizations.ALL_ON);
        assertThatThrownBy(() -> writer.write(null)).isInstanceOf(IllegalStateException.class);
    }
}
