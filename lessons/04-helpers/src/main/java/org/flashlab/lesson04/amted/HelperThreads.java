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
        // TODO Task 2: open a Pipe, watch its source with server.watch (drain it, then run what is
        // on `finished`), and start `count` helper threads named "amted-helper-N" (README, "Task 2").
        throw new UnsupportedOperationException("Task 2 is not done yet: HelperThreads.attach (README, \"Task 2\")");
    }

    @Override
    public boolean available() {
        return !threads.isEmpty();
    }

    @Override
    public void translate(String target, Consumer<Translation> done) {
        // TODO Task 2: queue a job that translates (handler.translate) and puts done on `finished`,
        // whatever happens (README, "Task 2").
        throw new UnsupportedOperationException("Task 2 is not done yet: HelperThreads.translate");
    }

    @Override
    public void fetch(Response response, Runnable done) {
        // TODO Task 2: queue a job that reads the bytes (disk.read on the emulated disk, a mapped
        // body's load(), else Residency.load) and puts done on `finished`, whatever happens (README, "Task 2").
        throw new UnsupportedOperationException("Task 2 is not done yet: HelperThreads.fetch");
    }

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
