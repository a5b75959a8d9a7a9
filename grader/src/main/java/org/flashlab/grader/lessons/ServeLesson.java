package org.flashlab.grader.lessons;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.flashlab.cli.Cli;
import org.flashlab.cli.ExitCode;
import org.flashlab.files.DiskGate;
import org.flashlab.files.Optimizations;
import org.flashlab.files.SimulatedDisk;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs a lesson's server as a program: constructs the class with a {@link ServerConfig}, starts it,
 * prints the readiness line, and serves until the process is stopped (Ctrl-C). `flashlab lesson
 * server` runs it for a person, and `flashlab lesson measure` for the load generator, in a JVM whose
 * classpath holds the lesson's classes ({@link ClassPaths}).
 */
@Command(name = "flashlab lesson server", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Runs a lesson's server class on a document root.")
public final class ServeLesson implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CLASS", description = "The server class; its constructor takes a ServerConfig.")
    String serverClass;

    @Option(names = "--docroot", required = true, paramLabel = "DIR", description = "The directory to serve.")
    Path docroot;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "N", description = "The port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR", description = "The address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--idle-timeout", defaultValue = "15", paramLabel = "S", description = "Seconds an idle connection is kept (default: ${DEFAULT-VALUE}).")
    long idleSeconds;

    @Option(names = "--sim-disk-cache-mb", paramLabel = "MB",
            description = "Serve through the kit's emulated disk: a simulated page cache of this size (default: the real disk).")
    Long simDiskCacheMb;

    @Option(names = "--sim-disk-miss-ms", paramLabel = "MS", defaultValue = "5",
            description = "With --sim-disk-cache-mb: what one missed 64 KB block costs (default: ${DEFAULT-VALUE}).")
    double simDiskMissMillis;

    @Option(names = "--sim-disk-gate", paramLabel = "FILE",
            description = "With --sim-disk-cache-mb: while FILE exists, every miss waits there, after appending a line "
                    + "that says which process and thread waits (lessons 03 and 04: hold a read by hand).")
    Path simDiskGate;

    // Flash's optimizations, as the reference server takes them: lesson 05's server reads them from
    // ServerConfig.optimizations(), so each can be measured on its own.
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

    @Override
    public Integer call() throws Exception {
        Server server = construct(serverClass, config());
        server.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "lesson-server-shutdown"));
        System.out.println(Server.readinessLine(server.address()));
        System.out.flush();
        stopped.await();
        return ExitCode.OK.code();
    }

    /** The configuration the options describe; a usage error for options that cannot be served. */
    ServerConfig config() {
        if (!Files.isDirectory(docroot)) {
            throw Cli.usage("--docroot " + docroot + " is not a directory");
        }
        if (port < 0 || port > 65535 || idleSeconds < 1 || mappedCacheMb < 0) {
            throw Cli.usage("--port must be 0 to 65535, --idle-timeout at least 1 and --mapped-cache-mb not negative");
        }
        ServerConfig config = ServerConfig.of(docroot.toAbsolutePath()).withHost(host).withPort(port)
                .withIdleTimeout(Duration.ofSeconds(idleSeconds))
                .withOptimizations(noOptimizations ? Optimizations.ALL_OFF
                        : new Optimizations(pathCache, headerCache, mappedCache, mappedCacheMb * 1024L * 1024L, gather, zeroCopy));
        if (simDiskCacheMb != null) {
            if (simDiskCacheMb < 0 || simDiskMissMillis < 0) {
                throw Cli.usage("--sim-disk-cache-mb and --sim-disk-miss-ms must not be negative");
            }
            // The same emulated disk as the reference server's (--sim-disk-cache-mb), so that a lesson's
            // server and a reference model compare on it: every server on the shared layer reads through it.
            return config.withSimulatedDisk(new SimulatedDisk(simDiskCacheMb * 1024 * 1024,
                    Duration.ofNanos((long) (simDiskMissMillis * 1_000_000)),
                    simDiskGate == null ? null : new DiskGate(simDiskGate.toAbsolutePath())));
        }
        if (simDiskGate != null) {
            throw Cli.usage("--sim-disk-gate holds the emulated disk's misses: add --sim-disk-cache-mb");
        }
        return config;
    }

    /** {@code new serverClass(config)}, with a message a student can act on when that is not possible. */
    static Server construct(String serverClass, ServerConfig config) throws Exception {
        Class<?> cls;
        try {
            cls = Class.forName(serverClass);
        } catch (ClassNotFoundException e) {
            throw Cli.failure("the class " + serverClass + " is not on the classpath: is the lesson built?", e);
        }
        if (!Server.class.isAssignableFrom(cls)) {
            throw Cli.failure(serverClass + " does not implement org.flashlab.server.Server");
        }
        Constructor<?> constructor;
        try {
            constructor = cls.getConstructor(ServerConfig.class);
        } catch (NoSuchMethodException e) {
            throw Cli.failure(serverClass + " has no public constructor that takes a ServerConfig", e);
        }
        try {
            return (Server) constructor.newInstance(config);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new ServeLesson(), args));
    }
}
