package org.flashlab.lesson05;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.flashlab.http.HttpStatus;
import org.flashlab.http.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task 4, on its own, over a real loopback connection: the bytes that arrive, and the system calls
 * that sent them. Every response here fits in the socket's buffer, so none has to wait.
 */
@Timeout(30)
class SenderTest {
    private static final byte[] HEAD = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    @TempDir
    Path dir;

    /** Sends {@code r} with a new Sender and returns what the other end received. */
    private static byte[] send(Sender sender, Response r, int expected) throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             SocketChannel client = SocketChannel.open(listener.getLocalAddress());
             SocketChannel server = listener.accept()) {
            // Room for the whole response on both sides, so that no write has to wait for the reader.
            server.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 1 << 20);
            client.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 20);
            sender.start(r);
            assertThat(sender.write(server)).as("the whole response sent in one call of write").isTrue();
            ByteBuffer got = ByteBuffer.allocate(expected);
            while (got.hasRemaining() && client.read(got) >= 0) {
                // read until every byte has arrived
            }
            return got.array();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Response inMemory() {
        return Response.bytes(HttpStatus.OK, ByteBuffer.wrap(HEAD), ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), true);
    }

    @Test
    @DisplayName("a body in memory: one vectored write with gather writes, a write for the head and one for the body without")
    void bodyInMemory() throws Exception {
        byte[] expected = concat(HEAD, "hello".getBytes(StandardCharsets.US_ASCII));
        Sender.Totals gathered = new Sender.Totals();
        assertThat(send(new Sender(true, false, gathered), inMemory(), expected.length)).isEqualTo(expected);
        assertThat(gathered.writeCalls()).as("system calls with gather writes").isEqualTo(1);
        assertThat(gathered.gatheredWrites()).isEqualTo(1);

        Sender.Totals separate = new Sender.Totals();
        assertThat(send(new Sender(false, true, separate), inMemory(), expected.length)).isEqualTo(expected);
        assertThat(separate.writeCalls()).as("system calls without gather writes: head, then body").isEqualTo(2);
        assertThat(separate.gatheredWrites()).isZero();
    }

    @Test
    @DisplayName("a file: sendfile after the head with zero copy; without it, a copy through a buffer, head and first chunk gathered")
    void fileRegion() throws Exception {
        byte[] data = new byte[100_000];
        new java.util.Random(3).nextBytes(data);
        Path file = Files.write(dir.resolve("data.bin"), data);
        byte[] head = "HTTP/1.1 200 OK\r\nContent-Length: 90000\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] expected = concat(head, java.util.Arrays.copyOfRange(data, 10_000, 100_000));
        for (boolean zeroCopy : new boolean[] {true, false}) {
            Sender.Totals totals = new Sender.Totals();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                Response r = Response.file(HttpStatus.OK, ByteBuffer.wrap(head), channel, 10_000, 90_000, true, file);
                assertThat(send(new Sender(true, zeroCopy, totals), r, expected.length)).as("bytes, zero copy %s", zeroCopy)
                        .isEqualTo(expected);
            }
            if (zeroCopy) {
                assertThat(totals.sentFileBytes()).as("file bytes sent by sendfile").isEqualTo(90_000);
                assertThat(totals.copiedFileBytes()).isZero();
                assertThat(totals.gatheredWrites()).as("vectored writes: sendfile cannot carry the head").isZero();
            } else {
                assertThat(totals.copiedFileBytes()).as("file bytes copied through the buffer").isEqualTo(90_000);
                assertThat(totals.sentFileBytes()).isZero();
                assertThat(totals.gatheredWrites()).as("the head went out with the first chunk").isEqualTo(1);
                assertThat(totals.writeCalls()).as("a write per 32 KB chunk: 3 for 90,000 bytes").isEqualTo(3);
            }
        }
    }

    @Test
    @DisplayName("a sender takes one response at a time")
    void oneAtATime() {
        Sender sender = new Sender(true, true, new Sender.Totals());
        sender.start(inMemory());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sender.start(inMemory()))
                .isInstanceOf(IllegalStateException.class);
    }
}
