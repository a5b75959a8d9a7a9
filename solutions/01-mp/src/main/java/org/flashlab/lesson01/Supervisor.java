package org.flashlab.lesson01;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flashlab.server.JavaCommand;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * Tasks 2 to 4: the multi-process (MP) server, as the supervisor of N {@link Worker} processes.
 * It starts them (the first picks the port, the others join it), replaces a worker that dies, stops
 * them all on close() so that none is left behind, and adds up what they report.
 *
 * Threads in this process: one per worker, reading that worker's stdout. It must be read, or the
 * pipe fills and the worker blocks on its next println; its end is also how we learn the worker died.
 *
 * Workers get the configuration's host, port, docroot and idle timeout; a student-sized supervisor
 * leaves the rest (limits, optimizations, an emulated disk) at their defaults.
 */
public final class Supervisor implements Server {
    private static final System.Logger LOG = System.getLogger(Supervisor.class.getName());
    public static final int DEFAULT_WORKERS = 4;
    private static final Pattern READY = Pattern.compile("Listening on http://[^\\s]+:(\\d+)/");
    private static final Pattern SERVED = Pattern.compile("served (\\d+)");
    private static final long READY_SECONDS = 60;

    private final ServerConfig config;
    private final int count;
    private final List<Process> workers = new CopyOnWriteArrayList<>();
    private final List<Thread> readers = new CopyOnWriteArrayList<>();
    /** What each worker (by process id) last reported: the only way to count across processes. */
    private final Map<Long, Long> servedBy = new ConcurrentHashMap<>();
    private final Object lock = new Object(); // launching and closing never overlap
    private volatile int port = -1;
    private volatile boolean closing;

    public Supervisor(ServerConfig config) {
        this(config, DEFAULT_WORKERS);
    }

    public Supervisor(ServerConfig config, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("need at least one worker, got " + workers);
        }
        this.config = config;
        this.count = workers;
    }

    @Override
    public void start() throws IOException {
        // BEGIN SOLUTION
        try {
            for (int i = 0; i < count; i++) {
                launch(i == 0 ? config.port() : port);
            }
        } catch (IOException | RuntimeException e) {
            close(); // the workers that did start must not outlive a failed start
            throw e;
        }
        // STARTER
        // // TODO Task 2: launch the workers; the first one's readiness line says the port (README, "Task 2").
        // throw new UnsupportedOperationException("Task 2 is not done yet: Supervisor.start (README, \"Task 2\")");
        // END SOLUTION
    }
    // BEGIN SOLUTION

    /** Starts one worker on {@code workerPort} (0: any) and waits until it says it is listening. */
    private void launch(int workerPort) throws IOException {
        List<String> command = JavaCommand.of(Worker.class.getName(), List.of("--host", config.host(),
                "--port", Integer.toString(workerPort),
                "--docroot", config.docroot().toString(), "--idle-timeout", Long.toString(config.idleTimeout().toSeconds())));
        Process worker;
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        synchronized (lock) {
            if (closing) {
                return;
            }
            // stdin stays a pipe we never close: when this process dies, the worker reads end-of-file and exits.
            worker = new ProcessBuilder(command).redirectError(Redirect.INHERIT).start();
            workers.add(worker);
            // Under the lock too, so that close() joins every reader there will ever be.
            readers.add(Thread.ofPlatform().name("worker-" + worker.pid()).start(() -> watch(worker, ready)));
        }
        try {
            int reported = ready.get(READY_SECONDS, TimeUnit.SECONDS);
            if (port < 0) {
                port = reported;
            }
        } catch (ExecutionException | TimeoutException e) {
            worker.destroyForcibly();
            throw new IOException("worker " + worker.pid() + " did not start listening: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.destroyForcibly();
            throw new IOException("interrupted while starting a worker", e);
        }
    }

    /**
     * Runs on the worker's own thread: reads its reports until its stdout ends, which happens when
     * it dies; then replaces it, unless we are closing or it died before it ever listened (a worker
     * that cannot start would otherwise be restarted forever).
     */
    private void watch(Process worker, CompletableFuture<Integer> ready) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    ready.complete(Integer.parseInt(m.group(1)));
                } else if ((m = SERVED.matcher(line)).matches()) {
                    servedBy.put(worker.pid(), Long.parseLong(m.group(1)));
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "reading worker " + worker.pid() + " failed: " + e);
        }
        ready.completeExceptionally(new IOException("it exited first"));
        try {
            worker.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        workers.remove(worker);
        if (closing || ready.isCompletedExceptionally()) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "worker " + worker.pid() + " exited with " + worker.exitValue()
                + "; starting a replacement");
        try {
            launch(port);
        } catch (IOException e) {
            if (!closing) { // close() stopping a replacement half-way is not an error
                LOG.log(System.Logger.Level.ERROR, "could not replace worker " + worker.pid(), e);
            }
        }
    }
    // END SOLUTION

    /** The worker processes alive now. */
    public List<ProcessHandle> workers() {
        return workers.stream().filter(Process::isAlive).map(Process::toHandle).toList();
    }

    /**
     * Task 4: connections served by every worker there has been, dead ones included, as they last
     * reported. It lags behind the clients: a worker reports after it has closed a connection.
     */
    public long served() {
        // BEGIN SOLUTION
        return servedBy.values().stream().mapToLong(Long::longValue).sum();
        // STARTER
        // throw new UnsupportedOperationException("Task 4 is not done yet: Supervisor.served (README, \"Task 4\")");
        // END SOLUTION
    }

    @Override
    public InetSocketAddress address() {
        if (port < 0) {
            throw new IllegalStateException("not started");
        }
        return new InetSocketAddress(config.host(), port);
    }

    /** Task 3: stops every worker and returns when they are gone. */
    @Override
    public void close() {
        // BEGIN SOLUTION
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
        }
        for (Process worker : workers) {
            worker.destroy(); // SIGTERM: the JVM runs its shutdown hooks and exits
        }
        for (Process worker : workers) {
            try {
                if (!worker.waitFor(10, TimeUnit.SECONDS)) {
                    worker.destroyForcibly(); // SIGKILL: it would not go
                    worker.waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                worker.destroyForcibly();
            }
        }
        for (Thread reader : readers) {
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // STARTER
        // // TODO Task 3: stop every worker, and wait until they are gone (README, "Task 3").
        // END SOLUTION
    }
}
