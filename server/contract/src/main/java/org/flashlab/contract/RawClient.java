package org.flashlab.contract;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately small HTTP/1.1 client over a plain socket. It sends bytes exactly as given, so
 * tests can send malformed requests, and it reads responses strictly: a response without a valid
 * Content-Length is an error here, because a client could not tell where its body ends.
 */
public final class RawClient implements AutoCloseable {
    /** How long any single read may block; a liveness bound, not a speed check. */
    public static final int READ_TIMEOUT_MS = 20_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawClient(int port) throws IOException {
        this(port, 0);
    }

    /** @param receiveBuffer SO_RCVBUF in bytes, or 0 for the system default (small ones make slow readers) */
    public RawClient(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    public RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends "GET path" with a Host header and reads the response. */
    public RawResponse get(String path) throws IOException {
        send("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n");
        return read(false);
    }

    /**
     * Reads one response.
     *
     * @param toHead true when it answers a HEAD request, which has headers but no body
     */
    public RawResponse read(boolean toHead) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a status line");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3) {
            throw new IOException("malformed status line: '" + statusLine + "'");
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String line;
        while (!(line = requireLine()).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: '" + line + "'");
            }
            headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        if (toHead || status == 304 || status == 204 || status / 100 == 1) {
            return new RawResponse(statusLine, status, headers, new byte[0]);
        }
        List<String> lengths = headers.get("content-length");
        if (lengths == null || lengths.size() != 1) {
            throw new IOException("response has " + (lengths == null ? "no" : lengths.size())
                    + " Content-Length fields; a client cannot find the end of the body: " + statusLine);
        }
        long length = Long.parseLong(lengths.getFirst());
        byte[] body = in.readNBytes((int) length);
        if (body.length != length) {
            throw new IOException("body ended after " + body.length + " of " + length + " bytes");
        }
        return new RawResponse(statusLine, status, headers, body);
    }

    /**
     * True when the server has closed the connection: the next read sees end of stream (or a reset).
     * Waits at most the read timeout, so call it only where the server is expected to close.
     */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    public InputStream input() {
        return in;
    }

    public Socket socket() {
        return socket;
    }

    /** Closes with a TCP reset instead of a FIN, like a crashed or impatient client. */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private String requireLine() throws IOException {
        String line = line();
        if (line == null) {
            throw new IOException("connection closed inside the response head");
        }
        return line;
    }

    /** Reads a CRLF-terminated line as ISO-8859-1, or null at end of stream. */
    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] raw = bytes.toByteArray();
                int n = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
                return new String(raw, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (bytes.size() > 64 * 1024) {
                throw new IOException("response line longer than 64 KiB");
            }
            bytes.write(b);
        }
        return bytes.size() == 0 ? null : new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1);
    }
}
