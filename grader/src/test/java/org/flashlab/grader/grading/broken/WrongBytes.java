package org.flashlab.grader.grading.broken;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import org.flashlab.server.ServerConfig;

/** Reads the request line, and sends the file with its last byte changed: an off-by-one in a copy loop. */
public final class WrongBytes extends AcceptLoop {
    public WrongBytes(ServerConfig config) throws IOException {
        super(config);
    }

    @Override
    protected void serve(SocketChannel connection) {
        Thread.ofPlatform().daemon().start(() -> {
            try (connection) {
                ByteBuffer in = ByteBuffer.allocate(8192);
                String head = "";
                while (!head.contains("\r\n\r\n") && connection.read(in) > 0) {
                    head = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
                }
                String path = head.split(" ")[1].substring(1);
                byte[] body = Files.readAllBytes(config.docroot().resolve(path));
                body[body.length - 1] ^= 1;
                connection.write(ByteBuffer.wrap(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer out = ByteBuffer.wrap(body);
                while (out.hasRemaining()) {
                    connection.write(out);
                }
            } catch (IOException | RuntimeException e) {
                // the client sees the connection close
            }
        });
    }
}
