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
        // TODO Task 2: launch the workers; the first one's readiness line says the port (README, "Task 2").
        throw new UnsupportedOperationException("Task 2 is not done yet: Supervisor.start (README, \"Task 2\")");
    }

    /** The worker processes alive now. */
    public List<ProcessHandle> workers() {
        return workers.stream().filter(Process::isAlive).map(Process::toHandle).toList();
    }

    /**
     * Task 4: connections served by every worker there has been, dead ones included, as they last
     * reported. It lags behind the clients: a worker reports after it has closed a connection.
     */
    public long served() {
        throw new UnsupportedOperationException("Task 4 is not done yet: Supervisor.served (README, \"Task 4\")");
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
        // TODO Task 3: stop every worker, and wait until they are gone (README, "Task 3").
    }
}
