package org.flashlab.reference;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.flashlab.cli.Cli;
import org.flashlab.cli.ExitCode;
import org.flashlab.files.Optimizations;
import org.flashlab.files.DiskGate;
import org.flashlab.files.SimulatedDisk;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `flashlab server`: runs the reference server in the foreground until SIGINT or SIGTERM.
 * Exit codes ({@link org.flashlab.cli.ExitCode}): 1 when the server cannot start (port in use,
 * missing docroot, a worker that would not start), 2 for bad arguments (an unknown model, a port out
 * of range, picocli's usage errors), each reported in one line. A server stopped by SIGINT or SIGTERM
 * closes cleanly in a shutdown hook and exits with the JVM's status for that signal (130 or 143).
 */
@Command(name = "flashlab server", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = Cli.Version.class,
        description = "Runs the Flashlab reference server until interrupted.")
public final class Main implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "iterative",
            description = "Concurrency model (default: ${DEFAULT-VALUE}); see the list above.")
    String model;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
            description = "Port to bind; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--docroot", paramLabel = "DIR", required = true, description = "Directory to serve.")
    Path docroot;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "Close connections idle this long (default: ${DEFAULT-VALUE}).")
    int idleTimeoutSeconds;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "4",
            description = "Processes for mp, nsped and hybrid (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "64",
            description = "Threads for mt-pool, mt-dynamic (maximum) and hybrid (per process); event loops for "
                    + "multi-reactor, at most one per core (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--queue", paramLabel = "N", defaultValue = "1024",
            description = "Connections that may wait for an mt-pool worker before 503 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--min-spare", paramLabel = "N", defaultValue = "4",
            description = "mt-dynamic grows when fewer threads are idle (default: ${DEFAULT-VALUE}).")
    int minSpare;

    @Option(names = "--max-spare", paramLabel = "N", defaultValue = "16",
            description = "mt-dynamic shrinks when more threads are idle (default: ${DEFAULT-VALUE}).")
    int maxSpare;

    @Option(names = "--helpers", paramLabel = "N", defaultValue = "4",
            description = "Disk helpers for amted (threads) and amped (processes) (default: ${DEFAULT-VALUE}).")
    int helpers;

    @Option(names = "--helper-delay-ms", paramLabel = "MS", defaultValue = "0",
            description = "Make every helper job this much slower: a slow disk for experiments (default: ${DEFAULT-VALUE}).")
    int helperDelayMillis;

    @Option(names = "--selector", paramLabel = "KIND", defaultValue = "epoll",
            description = "Selector for the event-driven models: epoll or poll (default: ${DEFAULT-VALUE}).")
    String selector;

    @Option(names = "--path-cache", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Pathname translation cache (default: on).")
    boolean pathCache;

    @Option(names = "--header-cache", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Response header cache (default: on).")
    boolean headerCache;

    @Option(names = "--mapped-cache", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Mapped-file cache (default: on).")
    boolean mappedCache;

    @Option(names = "--mapped-cache-mb", paramLabel = "MB", defaultValue = "128",
            description = "Mapped-file cache size (default: ${DEFAULT-VALUE}, as in the paper).")
    int mappedCacheMb;

    @Option(names = "--gather", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Header and body in one vectored write (default: on).")
    boolean gather;

    @Option(names = "--zero-copy", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Send files with sendfile(2) (default: on).")
    boolean zeroCopy;

    @Option(names = "--no-optimizations", description = "Turn every optimization above off.")
    boolean noOptimizations;

    @Option(names = "--sim-disk-cache-mb", paramLabel = "MB",
            description = "Emulate the disk, for lessons that must behave the same everywhere: a simulated page cache "
                    + "of this size, and --sim-disk-miss-ms for every 64 KB block that misses it (default: the real disk).")
    Long simDiskCacheMb;

    @Option(names = "--sim-disk-miss-ms", paramLabel = "MS", defaultValue = "5",
            description = "With --sim-disk-cache-mb: what one missed 64 KB block costs (default: ${DEFAULT-VALUE}).")
    double simDiskMissMillis;

    @Option(names = "--sim-disk-gate", paramLabel = "FILE",
            description = "With --sim-disk-cache-mb: while FILE exists, every miss waits, after appending a line that says "
                    + "which process and thread waits (the conformance checks use it to hold a read).")
    Path simDiskGate;

    @Option(names = "--reuse-port", hidden = true, description = "Bind with SO_REUSEPORT (process models' workers).")
    boolean reusePort;

    @Option(names = "--child", hidden = true, description = "Exit when the parent process dies (workers).")
    boolean child;

    /** The poll(2) selector the JDK ships beside epoll (see docs/models.md, SPED). */
    static final String POLL_PROVIDER = "sun.nio.ch.PollSelectorProvider";

    @Override
    public Integer call() throws Exception {
        Server server = startServer();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            server.close();
            stopped.countDown();
        }));
        System.out.println(Server.readinessLine(server.address()));
        System.out.flush();
        stopped.await();
        return ExitCode.OK.code();
    }

    /**
     * Checks the options, then builds and starts the chosen model. Throws {@link Cli.UserError} for
     * anything the user can fix; a port in use is a failure whose cause is the {@link BindException}.
     */
    Server startServer() {
        if (port < 0 || port > 65535) {
            throw Cli.usage("--port must be from 0 to 65535 (0 picks a free port), not " + port);
        }
        if (!Files.isDirectory(docroot)) {
            throw Cli.failure("--docroot " + docroot + " is not a directory");
        }
        Model chosen;
        try {
            chosen = Model.byName(model);
        } catch (IllegalArgumentException e) {
            throw Cli.usage(e.getMessage());
        }
        switch (selector) {
            case "epoll" -> { }
            // Read once, when the JVM first opens a selector; so it must be set before any is opened.
            case "poll" -> System.setProperty("java.nio.channels.spi.SelectorProvider", POLL_PROVIDER);
            default -> throw Cli.usage("--selector must be epoll or poll, not '" + selector + "'");
        }
        if (child) {
            org.flashlab.server.ParentWatch.exitWhenParentDies();
        }
        Preload.classesBeside(Main.class, Server.class);
        Optimizations optimizations = noOptimizations ? Optimizations.ALL_OFF
                : new Optimizations(pathCache, headerCache, mappedCache, mappedCacheMb * 1024L * 1024L, gather, zeroCopy);
        ServerConfig config = ServerConfig.of(docroot).withHost(host).withPort(port)
                .withIdleTimeout(Duration.ofSeconds(idleTimeoutSeconds)).withOptimizations(optimizations)
                .withReusePort(reusePort);
        if (simDiskCacheMb != null) {
            if (simDiskCacheMb < 0 || simDiskMissMillis < 0) {
                throw Cli.usage("--sim-disk-cache-mb and --sim-disk-miss-ms must not be negative");
            }
            config = config.withSimulatedDisk(new SimulatedDisk(simDiskCacheMb * 1024 * 1024,
                    Duration.ofNanos((long) (simDiskMissMillis * 1_000_000)),
                    simDiskGate == null ? null : new DiskGate(simDiskGate.toAbsolutePath())));
        } else if (simDiskGate != null) {
            throw Cli.usage("--sim-disk-gate holds the emulated disk's misses: add --sim-disk-cache-mb");
        }
        Server server;
        try {
            ModelOptions options = new ModelOptions(workers, threads, queue, minSpare, maxSpare, helpers,
                    Duration.ofMillis(helperDelayMillis), childFlags(optimizations));
            server = chosen.create(config, options);
        } catch (IllegalArgumentException e) {
            throw Cli.usage(e.getMessage());
        } catch (IOException e) {
            throw Cli.failure("cannot set up the " + chosen.cliName() + " server: " + e.getMessage());
        }
        try {
            server.start();
        } catch (BindException e) {
            server.close();
            throw Cli.failure("cannot bind " + host + ":" + port + ": " + e.getMessage()
                    + " (is another server running? try --port 0)", e);
        } catch (IOException e) {
            server.close();
            throw Cli.failure("the " + chosen.cliName() + " server did not start: " + e.getMessage());
        }
        System.out.println("flashlab server: model " + chosen.cliName() + ", selector "
                + java.nio.channels.spi.SelectorProvider.provider().getClass().getName()
                + ", optimizations " + optimizations.label()
                + (simDiskCacheMb == null ? "" : ", emulated disk (" + simDiskCacheMb + " MB cache, "
                        + simDiskMissMillis + " ms per missed 64 KB block)"));
        return server;
    }

    /** The flags a process model's workers need to behave like this process. */
    private List<String> childFlags(Optimizations o) {
        List<String> flags = new ArrayList<>(List.of("--threads", Integer.toString(threads),
                "--queue", Integer.toString(queue), "--selector", selector,
                "--mapped-cache-mb", Integer.toString(mappedCacheMb)));
        flags.add(o.pathCache() ? "--path-cache" : "--no-path-cache");
        flags.add(o.headerCache() ? "--header-cache" : "--no-header-cache");
        flags.add(o.mappedFileCache() ? "--mapped-cache" : "--no-mapped-cache");
        flags.add(o.gatherWrites() ? "--gather" : "--no-gather");
        flags.add(o.zeroCopy() ? "--zero-copy" : "--no-zero-copy");
        if (simDiskCacheMb != null) {
            flags.addAll(List.of("--sim-disk-cache-mb", Long.toString(simDiskCacheMb),
                    "--sim-disk-miss-ms", Double.toString(simDiskMissMillis)));
            if (simDiskGate != null) {
                flags.addAll(List.of("--sim-disk-gate", simDiskGate.toAbsolutePath().toString()));
            }
        }
        return flags;
    }

    /** The command line, with the model list in its help. */
    static CommandLine commandLine() {
        CommandLine cli = Cli.commandLine(new Main());
        String models = Arrays.stream(Model.values())
                .map(m -> String.format("  %-16s %s", m.cliName(), m.summary()))
                .collect(Collectors.joining("\n"));
        cli.getCommandSpec().usageMessage().width(110)
                .description("Runs the Flashlab reference server until interrupted.", "", "Models:", models);
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
