package org.flashlab.grader.baseline;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A server whose service time is known: it answers every keep-alive GET with the same small body
 * exactly {@code delay} after the request arrived. An open loop at low load must then report latency
 * close to {@code delay}: the proof that the generator measures the server and not its own timer,
 * which needs no wrk2 (Debian does not ship it). One platform thread per connection, parked for the
 * delay; it is an instrument, not a model, so it is as simple as it can be.
 */
public final class FixedDelayServer implements AutoCloseable {
    static final byte[] BODY = "fixed".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Length: " + BODY.length
            + "\r\nContent-Type: text/plain\r\n\r\nfixed").getBytes(StandardCharsets.US_ASCII);

    private static final long SPIN_NANOS = 200_000;

    private final ServerSocket listener;
    private volatile long delayNanos; // read by every connection's thread per request
    private final Thread acceptor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet(); // closed by close(), so no thread outlives it

    public FixedDelayServer(Duration delay) throws IOException {
        this.delayNanos = delay.toNanos();
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = Thread.ofPlatform().daemon().name("fixed-delay-accept").start(this::acceptLoop);
    }

    /** Changes the service time of every request from now on (a server that stalls, then recovers). */
    public void setDelay(Duration delay) {
        delayNanos = delay.toNanos();
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                open.add(s);
                Thread.ofPlatform().daemon().name("fixed-delay-conn").start(() -> serve(s));
            } catch (IOException closed) {
                return; // close() closed the listener
            }
        }
    }

    /** Reads one request (up to its blank line), waits out the service time, answers; again until EOF. */
    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
             OutputStream out = socket.getOutputStream()) {
            socket.setTcpNoDelay(true);
            int matched = 0; // how much of "\r\n\r\n" the bytes so far end with
            int b;
            while ((b = in.read()) >= 0) {
                matched = b == '\r' ? (matched == 2 ? 3 : 1) : b == '\n' && (matched == 1 || matched == 3) ? matched + 1 : 0;
                if (matched == 4) {
                    long due = System.nanoTime() + delayNanos;
                    // Park until shortly before, then spin: a parked thread wakes tens of
                    // microseconds late, and the service time must be what it claims.
                    for (long left = due - System.nanoTime(); left > SPIN_NANOS && !listener.isClosed();
                         left = due - System.nanoTime()) {
                        LockSupport.parkNanos(Math.min(left - SPIN_NANOS, 100_000_000)); // see close() at least every 0.1 s
                    }
                    if (listener.isClosed()) {
                        return;
                    }
                    while (System.nanoTime() - due < 0) {
                        Thread.onSpinWait();
                    }
                    out.write(RESPONSE);
                    out.flush();
                    matched = 0;
                }
            }
        } catch (IOException e) {
            // the client went away mid-request, or close() closed the socket: nothing to answer
        } finally {
            open.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
        try {
            acceptor.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
