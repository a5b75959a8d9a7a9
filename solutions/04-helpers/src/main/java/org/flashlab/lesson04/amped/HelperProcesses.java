package org.flashlab.lesson04.amped;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.concurrent.locks.LockSupport;

import org.flashlab.files.DocumentRoot;
import org.flashlab.files.SimulatedDisk;
import org.flashlab.files.StaticFileHandler;
import org.flashlab.files.StaticFileHandler.Translation;
import org.flashlab.http.HttpException;
import org.flashlab.http.Response;
import org.flashlab.lesson04.EventServer;
import org.flashlab.lesson04.Helpers;
import org.flashlab.server.JavaCommand;

/**
 * Task 3, the loop's side: AMPED's helpers are processes, each connected to the loop by a
 * Unix-domain socket that the loop's selector watches like a client's. One request per helper at a
 * time, as in Flash: requests wait in {@link #backlog} until a helper is idle, so a quick translation
 * never queues behind another helper's slow read.
 *
 * A helper that dies (a crash, a kill) is forgotten: its unanswered request goes back to the loop
 * with a null answer, and the loop does it itself (slower for a moment, but no connection is lost),
 * and a replacement is started, at most {@link #MAX_STARTS} in the server's life, so that a helper
 * that dies at once cannot make the loop fork forever. Loop thread only, after {@link #attach}.
 */
public final class HelperProcesses implements Helpers {
    private static final System.Logger LOG = System.getLogger(HelperProcesses.class.getName());
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    /** A helper JVM needs little: a small heap, one GC thread, no optimizing compiler. */
    private static final List<String> HELPER_FLAGS = List.of("-Xms2m", "-Xmx16m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");

    /** One helper process, its end of the socket, and the request it is serving. */
    private static final class Helper {
        final Process process;
        final SocketChannel channel;
        SelectionKey key;
        ByteBuffer outgoing;                // a request still being written, or null
        final ByteBuffer replies = ByteBuffer.allocate(64 * 1024);
        long id = -1;                       // the request it serves
        Consumer<ByteBuffer> onReply;       // what to do with the answer; null when idle

        Helper(Process process, SocketChannel channel) {
            this.process = process;
            this.channel = channel;
        }
    }

    /** A request waiting for an idle helper, built for its id when sent; onReply gets null if its helper dies. */
    private record Queued(LongFunction<ByteBuffer> request, Consumer<ByteBuffer> onReply) {}

    private final int count;
    private final int maxStarts;
    private final List<Helper> helpers = new ArrayList<>();
    private final List<Process> starting = new ArrayList<>();
    private final ArrayDeque<Queued> backlog = new ArrayDeque<>();
    private int starts;
    private long nextId;
    private EventServer server;
    private StaticFileHandler handler;
    private SimulatedDisk disk;
    private Path socketDir;
    private ServerSocketChannel listener;

    public HelperProcesses(int count) {
        this.count = count;
        this.maxStarts = 4 * count;
    }

    /** The helper processes alive now, for tests (which kill one). */
    public List<ProcessHandle> processes() {
        return helpers.stream().map(h -> h.process.toHandle()).toList();
    }

    @Override
    public void attach(EventServer eventServer) throws IOException {
        server = eventServer;
        handler = server.handler();
        disk = server.config().simulatedDisk();
        socketDir = Files.createTempDirectory("flashlab-lesson04-");
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            listener.bind(UnixDomainSocketAddress.of(socketDir.resolve("helpers.sock")));
            for (int i = 0; i < count; i++) {
                startOne();
            }
            // Wait for all of them, so that a server that says it is ready has its helpers.
            long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
            listener.configureBlocking(false);
            while (helpers.size() < count) {
                SocketChannel channel = listener.accept();
                if (channel != null) {
                    adopt(channel);
                } else if (starting.stream().anyMatch(p -> !p.isAlive()) || System.nanoTime() - deadline > 0) {
                    throw new IOException("an AMPED helper process did not start and connect within " + CONNECT_TIMEOUT);
                } else {
                    LockSupport.parkNanos(5_000_000); // startup only: the loop is not running yet
                }
            }
            server.watch(listener, SelectionKey.OP_ACCEPT, key -> acceptReplacements());
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startOne() throws IOException {
        List<String> command = JavaCommand.of(HelperProcess.class.getName(), List.of(
                socketDir.resolve("helpers.sock").toString(), handler.root().path().toString(),
                Long.toString(disk == null ? 0 : disk.missDelay().toNanos()),
                disk == null || disk.gate() == null ? "-" : disk.gate().file().toString()));
        command.addAll(1, HELPER_FLAGS);
        // stdin stays a pipe we never write: when this process dies the helper reads end-of-file (ParentWatch).
        starting.add(new ProcessBuilder(command).redirectOutput(Redirect.DISCARD).redirectError(Redirect.INHERIT).start());
        starts++;
    }

    private void acceptReplacements() throws IOException {
        SocketChannel channel;
        while ((channel = listener.accept()) != null) {
            adopt(channel);
        }
    }

    /** A helper's first 8 bytes are its pid (written as it connects): helpers may connect in any order. */
    private void adopt(SocketChannel channel) throws IOException {
        ByteBuffer pid = ByteBuffer.allocate(8);
        channel.configureBlocking(true);
        while (pid.hasRemaining()) {
            if (channel.read(pid) < 0) {
                channel.close();
                throw new IOException("an AMPED helper closed before saying who it is");
            }
        }
        long id = pid.flip().getLong();
        Process process = starting.stream().filter(p -> p.pid() == id).findFirst().orElse(null);
        if (process == null) {
            channel.close();
            throw new IOException("process " + id + " connected, but it is not a helper this server started");
        }
        starting.remove(process);
        Helper helper = new Helper(process, channel);
        helper.key = server.watch(channel, SelectionKey.OP_READ, key -> ready(helper, key));
        helpers.add(helper);
        dispatch();
    }

    @Override
    public boolean available() {
        return !helpers.isEmpty();
    }

    @Override
    public void translate(String target, Consumer<Translation> done) {
        // The emulated cache lives in this process: the helper is told how many misses to wait for,
        // and the metadata counts as cached once it answers.
        Path looked = candidate(target);
        long misses = disk == null || looked == null ? 0 : disk.metadataMissing(looked);
        send(id -> Wire.translateRequest(id, misses, target), payload -> {
            Translation translation = null; // null: the loop translates for itself
            if (payload != null) {
                try {
                    translation = Wire.decodeTranslation(payload);
                } catch (IOException | RuntimeException e) { // a short or garbled payload: the loop translates
                    LOG.log(System.Logger.Level.ERROR, "a garbled translation from an AMPED helper: " + e);
                }
            }
            if (translation != null && translation.resolution() != null) {
                if (disk != null && looked != null) {
                    disk.cacheMetadata(looked);
                    if (translation.resolution() instanceof DocumentRoot.Found found) {
                        disk.cacheMetadata(found.path()); // an index.html, or a link's target
                    }
                }
                handler.remember(target, translation.resolution());
            }
            done.accept(translation);
        });
    }

    private Path candidate(String target) {
        try {
            return handler.root().candidate(target);
        } catch (HttpException e) {
            return null; // refused before any lookup: the helper will say why
        }
    }

    @Override
    public void fetch(Response response, Runnable done) {
        long misses = disk == null ? 0 : disk.missing(response.source(), response.filePosition(), response.fileCount());
        send(id -> Wire.loadRequest(id, misses, response.filePosition(), response.fileCount(), response.source()), payload -> {
            if (payload != null && disk != null) {
                disk.cache(response.source(), response.filePosition(), response.fileCount()); // read by the helper
            }
            done.run(); // with a null payload the loop reads the bytes itself, as SPED would
        });
    }

    private void send(LongFunction<ByteBuffer> request, Consumer<ByteBuffer> onReply) {
        backlog.add(new Queued(request, onReply));
        dispatch();
    }

    /** Hands waiting requests to idle helpers, one each. */
    private void dispatch() {
        // BEGIN SOLUTION
        while (!backlog.isEmpty()) {
            Helper idle = helpers.stream().filter(h -> h.onReply == null).findFirst().orElse(null);
            if (idle == null) {
                if (helpers.isEmpty()) {
                    answerBacklogOurselves();
                }
                return; // a reply, or a replacement, dispatches again
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
        // STARTER
        // // TODO Task 3: while requests wait in the backlog and a helper is idle (onReply == null), give
        // // it the next one: an id, its onReply, its bytes in outgoing, then flush (README, "Task 3").
        // throw new UnsupportedOperationException("Task 3 is not done yet: HelperProcesses.dispatch (README, \"Task 3\")");
        // END SOLUTION
    }

    /** No helper is left: every waiting request goes back to the loop, which does it itself. */
    private void answerBacklogOurselves() {
        Queued waiting;
        while ((waiting = backlog.poll()) != null) {
            waiting.onReply().accept(null);
        }
    }

    /** Writes the helper's request as far as its socket takes it; asks for OP_WRITE while some remains. */
    private static void flush(Helper helper) throws IOException {
        if (helper.outgoing != null) {
            helper.channel.write(helper.outgoing);
            if (!helper.outgoing.hasRemaining()) {
                helper.outgoing = null;
            }
        }
        helper.key.interestOps(helper.outgoing == null ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }

    /** The helper's socket is ready: write what is left of its request, read its replies. */
    private void ready(Helper helper, SelectionKey key) {
        // BEGIN SOLUTION
        try {
            if (key.isWritable()) {
                flush(helper);
            }
            if (key.isValid() && key.isReadable()) {
                if (helper.channel.read(helper.replies) < 0) {
                    throw new IOException("end of stream: the helper exited");
                }
                helper.replies.flip();
                try {
                    while (helper.replies.remaining() >= Wire.REPLY_HEADER) {
                        int start = helper.replies.position();
                        long id = helper.replies.getLong(start);
                        int length = helper.replies.getInt(start + 8);
                        if (helper.replies.remaining() < Wire.REPLY_HEADER + length) {
                            break; // the rest of this reply is on its way
                        }
                        ByteBuffer payload = helper.replies.slice(start + Wire.REPLY_HEADER, length);
                        helper.replies.position(start + Wire.REPLY_HEADER + length);
                        Consumer<ByteBuffer> onReply = helper.onReply;
                        if (onReply == null || id != helper.id) {
                            throw new IOException("the helper answered request " + id + " while serving " + helper.id);
                        }
                        helper.onReply = null;
                        onReply.accept(payload);
                    }
                } finally {
                    helper.replies.compact();
                }
                dispatch();
            }
        } catch (IOException e) {
            lose(helper, e);
        }
        // STARTER
        // // TODO Task 3: write what is left of the request (flush); read replies (id, length, payload),
        // // check each answers the helper's request, hand its payload to onReply, then dispatch again.
        // // A read of -1 or any IOException means the helper died: lose it (README, "Task 3").
        // throw new UnsupportedOperationException("Task 3 is not done yet: HelperProcesses.ready (README, \"Task 3\")");
        // END SOLUTION
    }

    /** A helper has died. Forget it, give its request back to the loop, and start a replacement. */
    private void lose(Helper helper, IOException cause) {
        // BEGIN SOLUTION
        LOG.log(System.Logger.Level.WARNING, "AMPED helper " + helper.process.pid() + " is gone: " + cause);
        helpers.remove(helper);
        helper.key.cancel();
        closeQuietly(helper.channel);
        helper.process.destroyForcibly();
        Consumer<ByteBuffer> onReply = helper.onReply;
        helper.onReply = null;
        if (onReply != null) {
            onReply.accept(null); // nothing was read or translated: the loop does it itself
        }
        starting.removeIf(p -> !p.isAlive());
        if (starts < maxStarts && helpers.size() + starting.size() < count) {
            try {
                startOne(); // it connects to the listener, which the loop watches
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "could not start a replacement AMPED helper: " + e);
            }
        }
        if (helpers.isEmpty()) {
            answerBacklogOurselves();
        }
        // STARTER
        // // TODO Task 3: forget the helper, give its unanswered request back (onReply.accept(null)), start
        // // a replacement within maxStarts, and answer the backlog if no helper is left (README, "Task 3").
        // END SOLUTION
    }

    @Override
    public void close() {
        closeQuietly(listener);
        for (Helper helper : helpers) {
            closeQuietly(helper.channel); // the helper reads end-of-file and exits
        }
        List<Process> all = new ArrayList<>(starting);
        helpers.forEach(h -> all.add(h.process));
        for (Process p : all) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        try {
            if (socketDir != null) {
                Files.deleteIfExists(socketDir.resolve("helpers.sock"));
                Files.deleteIfExists(socketDir);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remove the helpers' socket: " + e);
        }
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "close failed: " + e);
        }
    }
}
