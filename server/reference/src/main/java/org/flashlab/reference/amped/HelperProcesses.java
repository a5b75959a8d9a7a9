package org.flashlab.reference.amped;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.flashlab.files.SimulatedDisk;
import org.flashlab.http.Response;
import org.flashlab.reference.event.DiskStage;
import org.flashlab.reference.event.EventLoop;
import org.flashlab.reference.event.Residency;
import org.flashlab.reference.process.ChildJvm;

/**
 * AMPED's disk stage: helper processes, each connected to the loop by a Unix-domain socket that the
 * loop's selector watches. A request names a file region; the helper faults it into the page cache
 * (shared by every process on the machine) and replies with the request's id.
 *
 * Up to {@code count} helpers: one starts with the server, the others when every live helper is
 * busy, and a helper that dies is replaced the next time one is needed. The listening socket stays
 * open for them, watched by the loop like any other channel.
 *
 * Owners: everything here is the loop thread's, except the helper processes themselves. Requests to
 * a helper whose socket is full wait in its {@code outgoing} queue until the selector says writable.
 */
final class HelperProcesses implements DiskStage {
    private static final System.Logger LOG = System.getLogger(HelperProcesses.class.getName());
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);

    /** One helper process and its end of the socket. */
    private static final class Helper {
        final Process process;
        final SocketChannel channel;
        SelectionKey key;
        final ArrayDeque<ByteBuffer> outgoing = new ArrayDeque<>();
        final ByteBuffer replies = ByteBuffer.allocate(8 * 64);
        final ArrayDeque<Long> ids = new ArrayDeque<>(); // requests sent and not answered, oldest first

        Helper(Process process, SocketChannel channel) {
            this.process = process;
            this.channel = channel;
        }
    }

    /** A server starts at most this many helpers per configured one in its life (restarts included). */
    private static final int MAX_STARTS_PER_HELPER = 4;

    private final int count;
    private final Duration delay;
    private EventLoop loop;
    private Path socketDir;
    private Path socket;
    private ServerSocketChannel listener; // helpers connect here, at start and whenever one is started
    private final Map<Process, Long> starting = new HashMap<>(); // started, not yet connected: when
    private int starts;
    private final List<Helper> helpers = new ArrayList<>();
    private final Map<Long, Runnable> pending = new HashMap<>();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong fetched = new AtomicLong();
    private long nextId;
    private SimulatedDisk disk; // an emulated disk, or null for the real one
    private final Map<Long, Response> emulated = new HashMap<>(); // requests whose blocks to cache on reply

    HelperProcesses(int count, Duration delay) {
        this.count = count;
        this.delay = delay;
    }

    @Override
    public void attach(EventLoop loop) throws IOException {
        this.loop = loop;
        disk = loop.config().simulatedDisk();
        socketDir = Files.createTempDirectory("flashlab-amped-");
        socket = socketDir.resolve("helpers.sock");
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            listener.bind(UnixDomainSocketAddress.of(socket));
            listener.configureBlocking(false);
            // One helper now, waited for, so that a server that says it is ready has one; the others
            // start when the load needs them (below), so that an idle AMPED costs what SPED does plus
            // one small JVM, and a busy one has them all.
            Process first = startOne();
            long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
            SocketChannel channel;
            while ((channel = listener.accept()) == null) {
                if (!first.isAlive() || System.nanoTime() - deadline > 0) {
                    first.destroyForcibly();
                    throw new IOException("the first AMPED helper process did not connect within " + CONNECT_TIMEOUT);
                }
                LockSupport.parkNanos(10_000_000); // startup only: the loop is not running yet
            }
            adopt(channel);
            loop.watch(listener, SelectionKey.OP_ACCEPT, key -> acceptHelpers());
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Starts one more helper if the load needs it: when every live helper already has a request,
     * fewer than {@code count} are live or starting, and no other start is under way (helpers come
     * up one at a time, so a helper that crashes at once cannot make the loop start them by the
     * hundred; {@link #MAX_STARTS_PER_HELPER} bounds the restarts of a server's whole life).
     * Starting a process (a spawn and an exec) takes the loop about a millisecond, and happens at
     * most {@code count} times while helpers stay alive.
     */
    private void startAnotherIfBusy(Helper leastBusy) {
        starting.entrySet().removeIf(e -> {
            boolean failed = !e.getKey().isAlive() || System.nanoTime() - e.getValue() > CONNECT_TIMEOUT.toNanos();
            if (failed) {
                LOG.log(System.Logger.Level.ERROR, "AMPED helper " + e.getKey().pid() + " did not connect");
                e.getKey().destroyForcibly();
            }
            return failed;
        });
        boolean busy = leastBusy == null || !leastBusy.ids.isEmpty();
        if (!busy || !starting.isEmpty() || helpers.size() >= count || starts >= MAX_STARTS_PER_HELPER * count) {
            return;
        }
        try {
            startOne();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "could not start an AMPED helper: " + e);
        }
    }

    private Process startOne() throws IOException {
        Process p = ChildJvm.startHelper(HelperProcess.class, List.of(socket.toString(), Long.toString(delay.toMillis())));
        starts++;
        starting.put(p, System.nanoTime());
        return p;
    }

    /** The listener is readable: helpers have connected. On the loop thread. */
    private void acceptHelpers() {
        try {
            SocketChannel channel;
            while ((channel = listener.accept()) != null) {
                adopt(channel);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "accepting an AMPED helper failed: " + e);
        }
    }

    /** A connected helper says its pid (8 bytes, written as it connects), then serves requests. */
    private void adopt(SocketChannel channel) throws IOException {
        Process process;
        try {
            process = processOf(channel, starting.keySet());
        } catch (IOException e) {
            EventLoop.closeQuietly(channel);
            throw e;
        }
        starting.remove(process);
        Helper helper = new Helper(process, channel);
        helpers.add(helper);
        helper.key = loop.watch(channel, SelectionKey.OP_READ, key -> ready(helper, key));
    }

    /** A helper's first 8 bytes are its pid: helpers may connect in any order. */
    private static Process processOf(SocketChannel channel, java.util.Collection<Process> processes) throws IOException {
        ByteBuffer pid = ByteBuffer.allocate(8);
        while (pid.hasRemaining()) {
            if (channel.read(pid) < 0) { // blocking: the helper writes its pid as it connects
                throw new IOException("an AMPED helper closed before saying who it is");
            }
        }
        long id = pid.flip().getLong();
        return processes.stream().filter(p -> p.pid() == id).findFirst()
                .orElseThrow(() -> new IOException("an unknown process " + id + " connected as an AMPED helper"));
    }

    @Override
    public boolean needsHelper(Response response) {
        if (response.source() == null) {
            return false;
        }
        if (helpers.isEmpty()) {
            startAnotherIfBusy(null); // every helper has died: start one, and meanwhile
            return false;             // the loop reads for itself, like SPED
        }
        if (disk != null) {
            return !disk.resident(response.source(), response.filePosition(), response.fileCount());
        }
        try {
            return !Residency.resident(response);
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void fetch(Response response, Runnable done) {
        submitted.incrementAndGet();
        Helper helper = helpers.getFirst();
        for (Helper h : helpers) {
            if (h.ids.size() < helper.ids.size()) {
                helper = h; // the least busy helper
            }
        }
        startAnotherIfBusy(helper);
        long id = nextId++;
        long emulatedNanos = 0;
        if (disk != null) {
            // The emulated cache lives in this process: the helper is charged the misses' delay
            // (it sleeps, as it would wait for the disk), and the blocks are cached when it answers,
            // and only then: a helper that dies before answering has read nothing.
            emulatedNanos = disk.missDelay().toNanos() * disk.missing(response.source(), response.filePosition(), response.fileCount());
            emulated.put(id, response);
        }
        pending.put(id, done);
        helper.ids.add(id);
        byte[] path = response.source().toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer request = ByteBuffer.allocate(36 + path.length)
                .putLong(id).putLong(response.filePosition()).putLong(response.fileCount()).putLong(emulatedNanos)
                .putInt(path.length).put(path).flip();
        helper.outgoing.add(request);
        try {
            flush(helper);
        } catch (IOException e) {
            lose(helper, e);
        }
    }

    /**
     * A helper has died (crashed, or killed). Forget it, and give its unanswered requests back to
     * the loop, which then reads those files itself: slower for a moment, but no connection hangs.
     */
    private void lose(Helper helper, IOException cause) {
        LOG.log(System.Logger.Level.ERROR, "AMPED helper " + helper.process.pid() + " is gone; "
                + helpers.size() + " helpers before it: " + cause);
        helpers.remove(helper);
        if (helper.key != null) {
            helper.key.cancel();
        }
        EventLoop.closeQuietly(helper.channel);
        helper.process.destroyForcibly();
        Long id;
        while ((id = helper.ids.poll()) != null) {
            emulated.remove(id); // nothing was read: the loop will pay for the misses itself
            Runnable done = pending.remove(id);
            if (done != null) {
                done.run();
            }
        }
    }

    private void ready(Helper helper, SelectionKey key) {
        try {
            if (key.isWritable()) {
                flush(helper);
            }
            if (key.isValid() && key.isReadable()) {
                if (helper.channel.read(helper.replies) < 0) {
                    throw new IOException("end of stream");
                }
                helper.replies.flip();
                try {
                    while (helper.replies.remaining() >= 8) {
                        long id = helper.replies.getLong();
                        helper.ids.remove(id);
                        fetched.incrementAndGet();
                        Response read = emulated.remove(id);
                        if (read != null) {
                            disk.cache(read.source(), read.filePosition(), read.fileCount());
                        }
                        Runnable done = pending.remove(id);
                        if (done != null) {
                            done.run(); // Connection.diskDone: its own error boundary
                        }
                    }
                } finally {
                    helper.replies.compact();
                }
            }
        } catch (IOException e) {
            lose(helper, e);
        }
    }

    /** Writes queued requests until the socket is full; asks for OP_WRITE while any remain. */
    private static void flush(Helper helper) throws IOException {
        while (!helper.outgoing.isEmpty()) {
            ByteBuffer next = helper.outgoing.peek();
            helper.channel.write(next);
            if (next.hasRemaining()) {
                break;
            }
            helper.outgoing.poll();
        }
        helper.key.interestOps(helper.outgoing.isEmpty()
                ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }

    long submitted() {
        return submitted.get();
    }

    long fetched() {
        return fetched.get();
    }

    /** Closing a helper's socket ends the helper (it reads end-of-file); then make sure. */
    @Override
    public void close() {
        if (listener != null) {
            EventLoop.closeQuietly(listener);
        }
        try {
            if (socket != null) {
                Files.deleteIfExists(socket);
                Files.deleteIfExists(socketDir);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remove the helpers' socket: " + e);
        }
        starting.keySet().forEach(Process::destroyForcibly);
        for (Helper helper : helpers) {
            EventLoop.closeQuietly(helper.channel);
        }
        for (Helper helper : helpers) {
            try {
                if (!helper.process.waitFor(5, TimeUnit.SECONDS)) {
                    helper.process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                helper.process.destroyForcibly();
            }
        }
    }
}
