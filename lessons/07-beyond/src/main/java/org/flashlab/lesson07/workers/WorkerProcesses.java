package org.flashlab.lesson07.workers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flashlab.files.SimulatedDisk;
import org.flashlab.server.JavaCommand;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * Given: lesson 01's supervisor, cut down to what N-SPED and the hybrid need. It starts {@code count}
 * worker processes running {@code workerMain}; the first binds the configured port (0 picks one) and
 * says which in its readiness line, and the others bind the same port. Every worker binds with
 * SO_REUSEPORT, so the kernel spreads new connections among them: no process accepts for another.
 * close() stops them all; a worker whose parent dies exits by itself ({@link #worker}). It does not
 * replace a worker that dies: lesson 01 did that.
 */
public final class WorkerProcesses implements Server {
    private static final Pattern READY = Pattern.compile("Listening on http://[^\\s]+:(\\d+)/");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final ServerConfig config;
    private final int count;
    private final Class<?> workerMain;
    private final List<String> extra;
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final List<Thread> readers = new CopyOnWriteArrayList<>();
    private volatile int port = -1;

    /** {@code extra} goes to each worker after the configuration's arguments. */
    public WorkerProcesses(ServerConfig config, int count, Class<?> workerMain, List<String> extra) {
        this.config = config;
        this.count = count;
        this.workerMain = workerMain;
        this.extra = List.copyOf(extra);
    }

    @Override
    public void start() throws IOException {
        try {
            for (int i = 0; i < count; i++) {
                int reported = launch(i == 0 ? config.port() : port);
                if (i == 0) {
                    port = reported;
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private int launch(int workerPort) throws IOException {
        SimulatedDisk disk = config.simulatedDisk();
        List<String> args = new ArrayList<>(List.of(config.host(), Integer.toString(workerPort),
                config.docroot().toString(), Long.toString(config.idleTimeout().toSeconds()),
                // The emulated disk, if any: each worker gets a cache of its own, as MP's processes would.
                disk == null ? "-" : Long.toString(disk.capacityBytes()),
                disk == null ? "-" : Long.toString(disk.missDelay().toNanos())));
        args.addAll(extra);
        // stdin stays a pipe we never close: when this process dies, the worker reads end-of-file and exits.
        Process p = new ProcessBuilder(JavaCommand.of(workerMain.getName(), args)).redirectError(Redirect.INHERIT).start();
        processes.add(p);
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        readers.add(Thread.ofPlatform().name("worker-output-" + p.pid()).start(() -> {
            // Read the worker's stdout to its end: a full pipe would stop the worker.
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        ready.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IOException("worker " + p.pid() + " exited before it was listening"));
        }));
        try {
            return ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("worker " + p.pid() + " did not start listening: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting a worker", e);
        }
    }

    /** The worker processes alive now. */
    public List<ProcessHandle> workers() {
        return processes.stream().filter(Process::isAlive).map(Process::toHandle).toList();
    }

    @Override
    public InetSocketAddress address() {
        if (port < 0) {
            throw new IllegalStateException("not started");
        }
        return new InetSocketAddress(config.host(), port);
    }

    @Override
    public void close() {
        processes.forEach(Process::destroy); // SIGTERM: each worker's shutdown hook closes its server
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        for (Thread reader : readers) {
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * In a worker: the configuration its supervisor passed (host, port, docroot, idle timeout, the
     * emulated disk's cache bytes and miss delay or "-", then {@code extra}), set to bind with SO_REUSEPORT. Call it first in a worker's main: it also makes
     * the worker exit when its supervisor dies.
     */
    public static ServerConfig worker(String[] args) {
        org.flashlab.server.ParentWatch.exitWhenParentDies();
        ServerConfig config = ServerConfig.of(Path.of(args[2])).withHost(args[0]).withPort(Integer.parseInt(args[1]))
                .withIdleTimeout(Duration.ofSeconds(Long.parseLong(args[3]))).withReusePort(true);
        return args[4].equals("-") ? config : config.withSimulatedDisk(
                new SimulatedDisk(Long.parseLong(args[4]), Duration.ofNanos(Long.parseLong(args[5]))));
    }

    /** How many of a worker's arguments {@link #worker} reads; a worker's own come after them. */
    public static final int WORKER_ARGS = 6;

    /**
     * In a worker, after it listens: prints the readiness line for the supervisor, and serves until the
     * process is stopped, closing {@code server} on SIGTERM.
     */
    public static void serveUntilStopped(Server server) throws InterruptedException {
        Thread hook = new Thread(server::close, "worker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println(Server.readinessLine(server.address()));
        System.out.flush();
        Thread.currentThread().join(); // forever: the shutdown hook ends the process
    }
}
