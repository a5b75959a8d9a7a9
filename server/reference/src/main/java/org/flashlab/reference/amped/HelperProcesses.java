package org.flashlab.reference.amped;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
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
import java.util.function.Consumer;
import java.util.function.LongFunction;

import org.flashlab.files.DocumentRoot;
import org.flashlab.files.SimulatedDisk;
import org.flashlab.files.StaticFileHandler;
import org.flashlab.files.StaticFileHandler.Translation;
import org.flashlab.http.HttpException;
import org.flashlab.http.Response;
import org.flashlab.reference.event.DiskStage;
import org.flashlab.reference.event.EventLoop;
import org.flashlab.reference.event.Residency;
import org.flashlab.reference.process.ChildJvm;

/**
 * AMPED's disk stage: helper processes, each connected to the loop by a Unix-domain socket that the
 * loop's selector watches. A request either names a target to translate (the helper resolves it,
 * warming the kernel's directory and inode caches, and replies with the file it found) or a file
 * region (the helper faults it into the page cache, shared by every process on the machine, and
 * replies when it is there). {@link Wire} has the format.
 *
 * Up to {@code count} helpers: one starts with the server, the others when every live helper is
 * busy, and a helper that dies is replaced the next time one is needed. The listening socket stays
 * open for them, watched by the loop like any other channel.
 *
 * One request per helper at a time, as in Flash: requests wait in {@link #backlog} until a helper
 * is idle, so that a quick translation never queues behind a helper's slow read while another
 * helper could take it.
 *
 * Owners: everything here is the loop thread's, except the helper processes themselves. A request
 * that a helper's socket cannot take at once waits in its {@code outgoing} until the selector says
 * writable.
 */
final class HelperProcesses implements DiskStage {
    private static final System.Logger LOG = System.getLogger(HelperProcesses.class.getName());
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);

    /** One helper process and its end of the socket. */
    private static final class Helper {
        final Process process;
        final SocketChannel channel;
        SelectionKey key;
        ByteBuffer outgoing;        // the request still being written, or null
        final ByteBuffer replies = ByteBuffer.allocate(64 * 1024); // holds any one reply: a path is < 4 KB
        long id = -1;               // the request it is serving, and what to do with the answer:
        Consumer<ByteBuffer> onReply; // null when the helper is idle

        boolean idle() {
            return onReply == null;
        }

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
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong fetched = new AtomicLong();
    private final AtomicLong translations = new AtomicLong();
    private long nextId;
    private SimulatedDisk disk; // an emulated disk, or null for the real one
    private StaticFileHandler handler;

    HelperProcesses(int count, Duration delay) {
        this.count = count;
        this.delay = delay;
    }

    @Override
    public void attach(EventLoop loop) throws IOException {
        this.loop = loop;
        disk = loop.config().simulatedDisk();
        handler = loop.handler();
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
    private void startAnotherIfBusy() {
        starting.entrySet().removeIf(e -> {
            boolean failed = !e.getKey().isAlive() || System.nanoTime() - e.getValue() > CONNECT_TIMEOUT.toNanos();
            if (failed) {
                LOG.log(System.Logger.Level.ERROR, "AMPED helper " + e.getKey().pid() + " did not connect");
                e.getKey().destroyForcibly();
            }
            return failed;
        });
        boolean busy = helpers.stream().noneMatch(Helper::idle);
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
        Process p = ChildJvm.startHelper(HelperProcess.class, List.of(socket.toString(), Long.toString(delay.toMillis()),
                handler.root().path().toString(),
                Long.toString(disk == null ? 0 : disk.missDelay().toNanos()),
                disk == null || disk.gate() == null ? "-" : disk.gate().file().toString()));
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
        dispatch();
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
    public boolean needsTranslation(String target) {
        if (helpers.isEmpty()) {
            startAnotherIfBusy(); // every helper has died: start one, and meanwhile
            return false;             // the loop translates for itself, like SPED
        }
        return true;
    }

    @Override
    public void translate(String target, Consumer<Translation> done) {
        translations.incrementAndGet();
        // The emulated cache lives in this process: the helper is charged the lookup's miss, and
        // the metadata is cached when it answers, and only then.
        Path looked = disk == null ? null : candidate(target);
        long misses = looked == null ? 0 : disk.metadataMissing(looked);
        send(id -> Wire.translateRequest(id, misses, target), payload -> {
            if (payload == null) {
                done.accept(null); // the helper died: the loop translates for itself
                return;
            }
            Translation translation;
            try {
                translation = Wire.decodeTranslation(payload);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "a garbled translation from an AMPED helper: " + e);
                done.accept(null);
                return;
            }
            if (disk != null && looked != null) {
                disk.cacheMetadata(looked);
                if (translation.resolution() instanceof DocumentRoot.Found found) {
                    disk.cacheMetadata(found.path()); // an index.html, or a link's target
                }
            }
            if (translation.resolution() != null) {
                handler.remember(target, translation.resolution());
            }
            done.accept(translation);
        });
    }

    /** Where a target leads before any lookup, or null when it is refused before any (a helper will say why). */
    private Path candidate(String target) {
        try {
            return handler.root().candidate(target);
        } catch (HttpException e) {
            return null;
        }
    }

    @Override
    public boolean needsHelper(Response response) {
        if (response.source() == null) {
            return false;
        }
        if (helpers.isEmpty()) {
            startAnotherIfBusy(); // every helper has died: start one, and meanwhile
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
        // The emulated cache lives in this process: the helper is charged the misses (it waits, as
        // it would for the disk), and the blocks are cached when it answers, and only then: a
        // helper that dies before answering has read nothing.
        long misses = disk == null ? 0 : disk.missing(response.source(), response.filePosition(), response.fileCount());
        send(id -> Wire.loadRequest(id, misses, response.filePosition(), response.fileCount(), response.source()), payload -> {
            if (payload != null) {
                fetched.incrementAndGet();
                if (disk != null) {
                    disk.cache(response.source(), response.filePosition(), response.fileCount());
                }
            }
            done.run(); // Connection.diskDone: its own error boundary
        });
    }

    /**
     * A request waiting for an idle helper: built for its id when it is sent. {@code onReply} gets
     * the answer's payload, or null when the helper died without answering.
     */
    private record Queued(LongFunction<ByteBuffer> request, Consumer<ByteBuffer> onReply) {}

    private final ArrayDeque<Queued> backlog = new ArrayDeque<>();

    /** Queues a request for the next idle helper. */
    private void send(LongFunction<ByteBuffer> request, Consumer<ByteBuffer> onReply) {
        backlog.add(new Queued(request, onReply));
        dispatch();
    }

    /** Hands waiting requests to idle helpers; starts another helper when none is idle. */
    private void dispatch() {
        while (!backlog.isEmpty()) {
            Helper idle = helpers.stream().filter(Helper::idle).findFirst().orElse(null);
            if (idle == null) {
                startAnotherIfBusy();
                return; // a reply, or a new helper, dispatches again
            }
            Queued next = backlog.poll();
            idle.id = nextId++;
            idle.onReply = next.onReply();
            idle.outgoing = next.request().apply(idle.id);
            try {
                flush(idle);
            } catch (IOException e) {
                lose(idle, e);
            }
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
        Consumer<ByteBuffer> onReply = helper.onReply;
        helper.onReply = null;
        if (onReply != null) {
            onReply.accept(null); // nothing was read or translated: the loop will do it itself
        }
        if (helpers.isEmpty()) {
            Queued waiting; // no helper left to wait for: the loop does these itself too
            while ((waiting = backlog.poll()) != null) {
                waiting.onReply().accept(null);
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
                    while (helper.replies.remaining() >= Wire.REPLY_HEADER) {
                        int start = helper.replies.position();
                        long id = helper.replies.getLong(start);
                        int length = helper.replies.getInt(start + 8);
                        if (helper.replies.remaining() < Wire.REPLY_HEADER + length) {
                            break; // the rest of this reply is still on its way
                        }
                        ByteBuffer payload = helper.replies.slice(start + Wire.REPLY_HEADER, length);
                        helper.replies.position(start + Wire.REPLY_HEADER + length);
                        Consumer<ByteBuffer> onReply = helper.onReply;
                        if (onReply == null || id != helper.id) {
                            throw new IOException("answered request " + id + " while serving " + helper.id);
                        }
                        helper.onReply = null;
                        onReply.accept(payload); // Connection's callbacks are their own error boundaries
                    }
                } finally {
                    helper.replies.compact();
                }
                dispatch();
            }
        } catch (IOException e) {
            lose(helper, e);
        }
    }

    /** Writes the helper's request as far as the socket takes it; asks for OP_WRITE while some remains. */
    private static void flush(Helper helper) throws IOException {
        if (helper.outgoing != null) {
            helper.channel.write(helper.outgoing);
            if (!helper.outgoing.hasRemaining()) {
                helper.outgoing = null;
            }
        }
        helper.key.interestOps(helper.outgoing == null
                ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }

    long submitted() {
        return submitted.get();
    }

    long fetched() {
        return fetched.get();
    }

    long translations() {
        return translations.get();
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
