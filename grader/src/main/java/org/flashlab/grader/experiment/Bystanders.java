package org.flashlab.grader.experiment;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Connections that are not the measured load but cost the server something while it runs: idle
 * ones (open, silent, as a browser's spare connections are) and slow ones (a request trickling in a
 * byte at a time, as a client on a bad link sends it, or as slowloris does on purpose). A thread per
 * connection would be a fine model for them and a poor one for the server: each one holds a worker
 * in MP and MT, and only a socket in an event loop.
 */
final class Bystanders implements AutoCloseable {
    /** A slow client sends its next byte this often: below any server's idle timeout. */
    static final long SLOW_BYTE_MS = 500;
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: slow\r\nX-Padding: ".getBytes(StandardCharsets.US_ASCII);

    private final List<SocketChannel> idle = new ArrayList<>();
    private final List<SocketChannel> slow = new ArrayList<>();
    private final int[] sent;
    private final ScheduledExecutorService trickle;
    private final int port;
    private volatile long failures; // written by the trickle thread too

    /** Opens the connections; a connection the server refuses is counted, and the run goes on. */
    Bystanders(int port, int idleCount, int slowCount) {
        this.port = port;
        for (int i = 0; i < idleCount; i++) {
            SocketChannel c = connect();
            if (c != null) {
                idle.add(c);
            }
        }
        for (int i = 0; i < slowCount; i++) {
            SocketChannel c = connect();
            if (c != null) {
                slow.add(c);
            }
        }
        sent = new int[slow.size()];
        trickle = slow.isEmpty() ? null : Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("slow-clients").unstarted(r));
        if (trickle != null) {
            trickle.scheduleAtFixedRate(this::sendOneByteEach, 0, SLOW_BYTE_MS, TimeUnit.MILLISECONDS);
        }
    }

    private SocketChannel connect() {
        try {
            SocketChannel c = SocketChannel.open();
            c.socket().connect(new InetSocketAddress("127.0.0.1", port), 2000);
            c.configureBlocking(false);
            return c;
        } catch (IOException e) {
            failures++;
            return null;
        }
    }

    /**
     * One more byte on each slow connection: the request line and headers, then a header that never
     * ends (padding), so the server waits for the rest as long as the run lasts. A connection the
     * server closed (its idle timeout) is opened again.
     */
    private void sendOneByteEach() {
        for (int i = 0; i < slow.size(); i++) {
            SocketChannel c = slow.get(i);
            try {
                byte b = sent[i] < REQUEST.length ? REQUEST[sent[i]] : (byte) 'x';
                if (c.write(ByteBuffer.wrap(new byte[] {b})) == 1) {
                    sent[i]++;
                }
            } catch (IOException e) {
                close(c);
                SocketChannel again = connect();
                if (again != null) {
                    slow.set(i, again);
                    sent[i] = 0;
                }
            }
        }
    }

    /** Connections that could not be opened (a full backlog, a server at its limit). */
    long failures() {
        return failures;
    }

    int count() {
        return idle.size() + slow.size();
    }

    @Override
    public void close() {
        if (trickle != null) {
            trickle.shutdownNow();
            try {
                trickle.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        idle.forEach(Bystanders::close);
        slow.forEach(Bystanders::close);
    }

    private static void close(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing a socket the server already closed: nothing is lost
        }
    }
}
