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
import java.util.function.Consumer;

import org.flashlab.files.MappedBody;
import org.flashlab.files.SimulatedDisk;
import org.flashlab.files.StaticFileHandler;
import org.flashlab.files.StaticFileHandler.Translation;
import org.flashlab.http.Response;
import org.flashlab.reference.event.DiskStage;
import org.flashlab.reference.event.EventLoop;
import org.flashlab.reference.event.Residency;

/**
 * AMTED's disk stage: helper threads that translate paths and fault pages in, reporting back
 * through a selectable Pipe.
 *
 * Owners: the loop thread calls needsTranslation/translate/needsHelper/fetch and reads the pipe;
 * helper threads take jobs from {@link #jobs}, and put each finished job's completion on
 * {@link #finished} before writing one byte to the pipe. The byte only wakes the loop; the queue
 * carries the result. A helper never touches a connection.
 */
final class HelperThreads implements DiskStage {
    private static final System.Logger LOG = System.getLogger(HelperThreads.class.getName());

    private static final Runnable STOP = () -> { };

    private final int count;
    private final Duration delay;
    private SimulatedDisk disk; // an emulated disk, or null for the real one
    private StaticFileHandler handler;
    private final LinkedBlockingQueue<Runnable> jobs = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Runnable> finished = new ConcurrentLinkedQueue<>();
    private final List<Thread> helpers = new ArrayList<>();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong fetched = new AtomicLong();
    private final AtomicLong translations = new AtomicLong();
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
        handler = eventLoop.handler();
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
    public boolean needsTranslation(String target) {
        return true; // a pathname-cache miss: the lookup goes to a helper thread
    }

    @Override
    public void translate(String target, Consumer<Translation> done) {
        translations.incrementAndGet();
        jobs.add(() -> {
            Translation translation = null;
            try {
                translation = handler.translate(target); // the lookups and stats: they may block here
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "a helper could not translate " + target, e);
            } finally {
                Translation result = translation; // null: the loop translates for itself
                finished.add(() -> done.accept(result));
            }
        });
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
        jobs.add(() -> {
            try {
                slowDisk();
                if (disk != null) {
                    disk.read(response.source(), response.filePosition(), response.fileCount()); // sleeps for the misses, here and not in the loop
                } else if (hold != null) {
                    hold.load();
                } else {
                    Residency.load(response);
                }
            } catch (IOException | RuntimeException e) {
                // The loop will read the file itself and meet the same error on its own boundary.
                LOG.log(System.Logger.Level.DEBUG, () -> "helper could not load a response: " + e);
            } finally {
                if (hold != null) {
                    hold.close();
                }
                // Whatever happened, the connection must hear back, or it waits for the disk forever.
                fetched.incrementAndGet();
                finished.add(done);
            }
        });
    }

    /** --helper-delay-ms: a deliberately slow disk, for experiments. */
    private void slowDisk() {
        if (!delay.isZero()) {
            LockSupport.parkNanos(delay.toNanos());
        }
    }

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
                one.clear();
                pipe.sink().write(one.put((byte) 1).flip());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "pipe closed: the loop is shutting down");
            }
        }
    }

    long translations() {
        return translations.get();
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
