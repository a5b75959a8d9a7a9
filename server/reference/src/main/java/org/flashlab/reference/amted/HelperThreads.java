package org.flashlab.reference.amted;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.flashlab.files.MappedBody;
import org.flashlab.files.SimulatedDisk;
import org.flashlab.http.Response;
import org.flashlab.reference.event.DiskStage;
import org.flashlab.reference.event.EventLoop;
import org.flashlab.reference.event.Residency;

/**
 * AMTED's disk stage: helper threads that fault pages in, reporting back through a selectable Pipe.
 *
 * Owners: the loop thread calls needsHelper/fetch and reads the pipe; helper threads take jobs from
 * {@link #jobs}, and put finished ones on {@link #finished} before writing one byte to the pipe. The
 * byte only wakes the loop; the queue carries the result. A helper never touches a connection.
 */
final class HelperThreads implements DiskStage {
    private static final System.Logger LOG = System.getLogger(HelperThreads.class.getName());

    /** A response to fault in; {@code hold} keeps a mapped body mapped while the helper reads it. */
    private record Job(Response response, MappedBody hold, Runnable done) {}

    private static final Job STOP = new Job(null, null, null);

    private final int count;
    private final Duration delay;
    private SimulatedDisk disk; // an emulated disk, or null for the real one
    private final LinkedBlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Runnable> finished = new ConcurrentLinkedQueue<>();
    private final List<Thread> helpers = new ArrayList<>();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong fetched = new AtomicLong();
    private Pipe pipe;
    private EventLoop loop;

    HelperThreads(int count, Duration delay) {
        this.count = count;
        this.delay = delay;
    }

    @Override
    public void attach(EventLoop eventLoop) throws IOException {
        loop = eventLoop;
        disk = eventLoop.config().simulatedDisk();
        pipe = Pipe.open();
        ByteBuffer drain = ByteBuffer.allocate(256);
        loop.watch(pipe.source(), SelectionKey.OP_READ, key -> {
            drain.clear();
            while (pipe.source().read(drain) > 0) {
                drain.clear();
            }
            Runnable done;
            while ((done = finished.poll()) != null) {
                done.run();
            }
        });
        for (int i = 0; i < count; i++) {
            helpers.add(Thread.ofPlatform().name("amted-helper-" + i).start(this::work));
        }
    }

    @Override
    public boolean needsHelper(Response response) {
        if (disk != null) {
            return response.source() != null && !disk.resident(response.source(), response.filePosition(), response.fileCount());
        }
        try {
            return !Residency.resident(response);
        } catch (IOException e) {
            return true; // cannot tell: let a helper find out, off the loop
        }
    }

    @Override
    public void fetch(Response response, Runnable done) {
        submitted.incrementAndGet();
        // The connection may close while a helper reads, and closing lets go of its body: a mapped
        // body then gets a hold of the helper's own, or the helper could read unmapped memory.
        MappedBody hold = response.lease() instanceof MappedBody mapped ? mapped.retain() : null;
        jobs.add(new Job(response, hold, done));
    }

    private void work() {
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            Job job;
            try {
                job = jobs.take();
            } catch (InterruptedException e) {
                return;
            }
            if (job == STOP) {
                return;
            }
            try {
                if (!delay.isZero()) {
                    LockSupport.parkNanos(delay.toNanos()); // a deliberately slow disk, for experiments
                }
                Response r = job.response();
                if (disk != null) {
                    disk.read(r.source(), r.filePosition(), r.fileCount()); // sleeps for the misses, here and not in the loop
                } else if (job.hold() != null) {
                    job.hold().load();
                } else {
                    Residency.load(r);
                }
            } catch (IOException | RuntimeException e) {
                // The loop will read the file itself and meet the same error on its own boundary.
                LOG.log(System.Logger.Level.DEBUG, () -> "helper could not load a response: " + e);
            } finally {
                if (job.hold() != null) {
                    job.hold().close();
                }
                // Whatever happened, the connection must hear back, or it waits for the disk forever.
                fetched.incrementAndGet();
                finished.add(job.done());
                try {
                    one.clear();
                    pipe.sink().write(one.put((byte) 1).flip());
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "pipe closed: the loop is shutting down");
                }
            }
        }
    }

    long submitted() {
        return submitted.get();
    }

    long fetched() {
        return fetched.get();
    }

    @Override
    public void close() {
        if (pipe != null) {
            EventLoop.closeQuietly(pipe.source()); // a helper blocked writing to a full pipe now fails and exits
        }
        for (int i = 0; i < helpers.size(); i++) {
            jobs.add(STOP);
        }
        if (disk != null) {
            // A helper asleep on the emulated disk would hold the stop for as long as it sleeps.
            helpers.forEach(Thread::interrupt);
        }
        for (Thread helper : helpers) {
            try {
                helper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (pipe != null) {
            EventLoop.closeQuietly(pipe.sink());
        }
    }
}
