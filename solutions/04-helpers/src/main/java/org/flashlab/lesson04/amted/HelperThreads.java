package org.flashlab.lesson04.amted;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

import org.flashlab.files.MappedBody;
import org.flashlab.files.SimulatedDisk;
import org.flashlab.files.StaticFileHandler;
import org.flashlab.files.StaticFileHandler.Translation;
import org.flashlab.http.Response;
import org.flashlab.lesson04.EventServer;
import org.flashlab.lesson04.Helpers;
import org.flashlab.lesson04.Residency;

/**
 * Task 2: AMTED's helpers, threads that block on the disk so that the loop does not. The loop puts
 * jobs on {@link #jobs}; a helper takes one, blocks as long as the disk makes it, puts what the loop
 * must do next on {@link #finished}, and writes one byte into a {@link Pipe} whose other end the
 * loop's selector watches. The byte only wakes the loop; the queue carries the result. A helper
 * never touches a connection: only the loop does, so connections still need no locks.
 *
 * <pre>
 *   loop --jobs--> helper 1..N (block on the disk) --finished + 1 byte on the pipe--> loop
 * </pre>
 */
public final class HelperThreads implements Helpers {
    private static final System.Logger LOG = System.getLogger(HelperThreads.class.getName());
    private static final Runnable STOP = () -> { };

    private final int count;
    private final LinkedBlockingQueue<Runnable> jobs = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Runnable> finished = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private StaticFileHandler handler;
    private SimulatedDisk disk;
    private Pipe pipe;

    public HelperThreads(int count) {
        this.count = count;
    }

    @Override
    public void attach(EventServer server) throws IOException {
        // BEGIN SOLUTION
        handler = server.handler();
        disk = server.config().simulatedDisk();
        pipe = Pipe.open();
        ByteBuffer drain = ByteBuffer.allocate(256);
        server.watch(pipe.source(), SelectionKey.OP_READ, key -> {
            do {
                drain.clear(); // the bytes say only "something finished"; the queue says what
            } while (pipe.source().read(drain) > 0);
            Runnable done;
            while ((done = finished.poll()) != null) {
                done.run();
            }
        });
        for (int i = 0; i < count; i++) {
            threads.add(Thread.ofPlatform().name("amted-helper-" + i).start(this::work));
        }
        // STARTER
        // // TODO Task 2: open a Pipe, watch its source with server.watch (drain it, then run what is
        // // on `finished`), and start `count` helper threads named "amted-helper-N" (README, "Task 2").
        // throw new UnsupportedOperationException("Task 2 is not done yet: HelperThreads.attach (README, \"Task 2\")");
        // END SOLUTION
    }

    @Override
    public boolean available() {
        return !threads.isEmpty();
    }

    @Override
    public void translate(String target, Consumer<Translation> done) {
        // BEGIN SOLUTION
        jobs.add(() -> {
            Translation result = null; // null: the loop translates for itself
            try {
                result = handler.translate(target); // the lookups and stats: they may wait here
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "a helper could not translate " + target, e);
            } finally {
                Translation answer = result;
                finished.add(() -> done.accept(answer));
            }
        });
        // STARTER
        // // TODO Task 2: queue a job that translates (handler.translate) and puts done on `finished`,
        // // whatever happens (README, "Task 2").
        // throw new UnsupportedOperationException("Task 2 is not done yet: HelperThreads.translate");
        // END SOLUTION
    }

    @Override
    public void fetch(Response response, Runnable done) {
        // BEGIN SOLUTION
        // A body from the mapped-file cache: the connection may close while the helper reads, and
        // closing lets go of the mapping; the helper's own hold keeps it mapped until it is done.
        MappedBody hold = response.lease() instanceof MappedBody mapped ? mapped.retain() : null;
        jobs.add(() -> {
            try {
                if (disk != null) {
                    disk.read(response.source(), response.filePosition(), response.fileCount()); // waits here, not in the loop
                } else if (hold != null) {
                    hold.load();
                } else if (response.file() != null) {
                    Residency.load(response.file(), response.filePosition(), response.fileCount());
                }
            } catch (IOException | RuntimeException e) {
                // The loop sends anyway and meets the same error on its own error boundary.
                LOG.log(System.Logger.Level.DEBUG, () -> "a helper could not load a response: " + e);
            } finally {
                if (hold != null) {
                    hold.close();
                }
                finished.add(done); // whatever happened, or the connection waits forever
            }
        });
        // STARTER
        // // TODO Task 2: queue a job that reads the bytes (disk.read on the emulated disk, a mapped
        // // body's load(), else Residency.load) and puts done on `finished`, whatever happens (README, "Task 2").
        // throw new UnsupportedOperationException("Task 2 is not done yet: HelperThreads.fetch");
        // END SOLUTION
    }
    // BEGIN SOLUTION

    /** A helper thread: take a job, run it (it may block: that is its whole purpose), wake the loop. */
    private void work() {
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            Runnable job;
            try {
                job = jobs.take();
            } catch (InterruptedException e) {
                return;
            }
            if (job == STOP) {
                return;
            }
            job.run(); // puts its completion on `finished`, whatever happens
            try {
                pipe.sink().write(one.clear().put((byte) 1).flip());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "the pipe is closed: the server is stopping");
            }
        }
    }
    // END SOLUTION

    @Override
    public void close() {
        closeQuietly(pipe == null ? null : pipe.source()); // a helper blocked on a full pipe now fails and goes on
        for (int i = 0; i < threads.size(); i++) {
            jobs.add(STOP);
        }
        threads.forEach(Thread::interrupt); // a helper asleep on the emulated disk stops waiting
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(pipe == null ? null : pipe.sink());
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the helpers' pipe failed", e);
        }
    }
}
