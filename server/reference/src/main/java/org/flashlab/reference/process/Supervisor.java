package org.flashlab.reference.process;

/*
 * The supervisor of the multi-process models: MP (each worker an iterative server), N-SPED (each a
 * SPED loop, like Zeus) and hybrid (each a thread pool, like Apache 2's worker MPM).
 *
 * Map:
 *   start() launches `workers` child JVMs running `flashlab server --model CHILD --reuse-port`. The
 *   first binds the configured port (0 picks one) and reports it in its readiness line; the others
 *   bind the same port. With SO_REUSEPORT the kernel spreads new connections among the listening
 *   processes, so no process accepts for another (no thundering herd, no fd passing).
 *   one "worker-output" thread per child reads the child's stdout (a full pipe would block it) and,
 *   when it ends, waits for the child's exit and queues it on `exited`;
 *   the "supervisor" thread takes exits from `exited` and starts a replacement on the same port.
 *   close() stops restarting, sends SIGTERM to every child, waits, then SIGKILLs what is left.
 *   Children exit by themselves when the supervisor dies: see ChildJvm.
 *
 * The lecture's MP costs are all here to measure: a JVM per worker (tens of MB each), no shared
 * caches (each worker has its own mapped-file and path caches), and process context switches.
 */

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

public final class Supervisor implements Server {
    private static final System.Logger LOG = System.getLogger(Supervisor.class.getName());
    private static final Pattern READY = Pattern.compile("Listening on http://[^\\s]+:(\\d+)/");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final ServerConfig config;
    private final int workers;
    private final String childModel;
    private final List<String> childFlags;

    private final CopyOnWriteArrayList<Process> children = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Process> exited = new LinkedBlockingQueue<>();
    private final List<Thread> pumps = new CopyOnWriteArrayList<>();
    private volatile int port = -1;
    private volatile InetSocketAddress bound;
    private volatile Thread supervisor;
    private volatile boolean closing;

    /**
     * @param childModel the model each worker runs (iterative, sped, mt-pool)
     * @param childFlags flags passed on to every worker (optimizations, timeouts, threads)
     */
    public Supervisor(String name, ServerConfig config, int workers, String childModel, List<String> childFlags) {
        if (workers < 1) {
            throw new IllegalArgumentException("need at least one worker, got " + workers);
        }
        this.name = name;
        this.config = config;
        this.workers = workers;
        this.childModel = childModel;
        this.childFlags = List.copyOf(childFlags);
    }

    @Override
    public void start() throws IOException {
        if (supervisor != null) {
            throw new IllegalStateException(name + " already started");
        }
        if (config.port() != 0) {
            probePort();
        }
        String migration = ConnectionMigration.enable();
        if (migration != null) {
            System.err.println("flashlab " + name + ": " + migration);
        }
        try {
            for (int i = 0; i < workers; i++) {
                launch(i == 0 ? config.port() : port);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        bound = new InetSocketAddress(config.host(), port);
        supervisor = Thread.ofPlatform().name(name + "-supervisor").start(this::superviseLoop);
    }

    /**
     * Fails with a BindException when something already listens on the configured port. Without this,
     * the first worker finds out, reports it and exits, and the supervisor can only say that the
     * worker died. The workers bind with SO_REUSEPORT; this probe does not, so it cannot share a port
     * with another server. (A server that takes the port between the probe and the worker's bind is
     * still reported, as a worker that did not become ready.)
     */
    private void probePort() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(config.host(), config.port()));
        }
    }

    /** Starts one worker on {@code workerPort} and waits for its readiness line. */
    private void launch(int workerPort) throws IOException {
        List<String> args = new ArrayList<>(List.of("--model", childModel, "--host", config.host(),
                "--port", Integer.toString(workerPort), "--docroot", config.docroot().toString(),
                "--idle-timeout", Long.toString(config.idleTimeout().toSeconds()), "--reuse-port", "--child"));
        args.addAll(childFlags);
        Process child = ChildJvm.start(org.flashlab.reference.Main.class, args);
        children.add(child);
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread pump = Thread.ofPlatform().name(name + "-worker-output-" + child.pid()).start(() -> {
            pumpOutput(child, ready);
            awaitExit(child);
        });
        pumps.add(pump);
        try {
            int reported = ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (port < 0) {
                port = reported;
            }
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            child.destroyForcibly();
            throw new IOException(name + ": worker " + child.pid() + " did not become ready: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroyForcibly();
            throw new IOException(name + ": interrupted while starting a worker", e);
        }
    }

    /**
     * Runs on the worker's output thread once the output ends: waits for the exit and reports it.
     * (Not Process.onExit(): its callbacks run on the common ForkJoinPool, which a busy application
     * can starve, and then a dead worker would never be replaced.)
     */
    private void awaitExit(Process child) {
        try {
            child.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        exited.add(child);
    }

    /** Reads a worker's stdout: the readiness line first, then everything else is dropped. */
    private static void pumpOutput(Process child, CompletableFuture<Integer> ready) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                Matcher m = READY.matcher(line);
                if (!ready.isDone() && m.find()) {
                    ready.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "reading worker " + child.pid() + "'s output failed: " + e);
        } finally {
            ready.completeExceptionally(new IOException("worker " + child.pid() + " closed its output"));
        }
    }

    private void superviseLoop() {
        long backoff = 0; // milliseconds before the next replacement
        while (!closing) {
            Process dead;
            try {
                dead = exited.take();
            } catch (InterruptedException e) {
                return; // close()
            }
            children.remove(dead);
            pumps.removeIf(t -> !t.isAlive());
            if (closing) {
                return;
            }
            LOG.log(System.Logger.Level.WARNING, name + ": worker " + dead.pid() + " exited with "
                    + dead.exitValue() + "; starting a replacement");
            // Back off while workers keep dying young (a deleted docroot, a bad flag), so a worker
            // that cannot start is not restarted in a tight loop; one that lived a while resets it.
            boolean diedYoung = dead.info().startInstant()
                    .map(t -> java.time.Duration.between(t, java.time.Instant.now()).toSeconds() < 10).orElse(true);
            backoff = diedYoung ? Math.min(Math.max(100, backoff * 2), 10_000) : 0;
            try {
                if (backoff > 0) {
                    Thread.sleep(backoff);
                }
                launch(port);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, name + ": could not replace a worker", e);
                exited.add(dead); // try again, after a longer back-off
            } catch (InterruptedException e) {
                return; // close()
            }
        }
    }

    /** Process ids of the live workers, for tests and metrics. */
    public List<Long> workerPids() {
        return children.stream().filter(Process::isAlive).map(Process::pid).toList();
    }

    @Override
    public InetSocketAddress address() {
        if (bound == null) {
            throw new IllegalStateException(name + " not started");
        }
        return bound;
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        Thread s = supervisor;
        if (s != null) {
            s.interrupt();
        }
        children.forEach(Process::destroy);
        for (Process child : children) {
            try {
                if (!child.waitFor(5, TimeUnit.SECONDS)) {
                    child.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                child.destroyForcibly();
            }
        }
        try {
            if (s != null) {
                s.join();
            }
            for (Thread pump : pumps) {
                pump.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
