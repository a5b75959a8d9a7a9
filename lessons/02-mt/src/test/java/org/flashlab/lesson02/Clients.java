package org.flashlab.lesson02;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The lesson's tests' small client: one request on a new connection, the whole answer back. */
public final class Clients {
    private Clients() {}

    public static String get(int port, String path) throws IOException {
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(20_000);
            client.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** A connection that sends nothing: it holds a thread of a blocking server until its idle timeout. */
    public static Socket idle(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        return s;
    }
}
