package org.flashlab.reference;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `flashlab server`: runs the reference server in the foreground until SIGINT or SIGTERM.
 * Exit codes: 1 when the server cannot start (port in use, missing docroot), 2 for bad arguments
 * (an unknown model, or picocli's usage errors). A server stopped by SIGINT or SIGTERM closes cleanly
 * in a shutdown hook and exits with the JVM's status for that signal (130 or 143).
 */
@Command(name = "flashlab server", mixinStandardHelpOptions = true, sortOptions = false,
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

    /** A reason the server cannot start, with the exit code it maps to. */
    static final class StartupException extends Exception {
        final int exitCode;

        StartupException(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    @Override
    public Integer call() throws Exception {
        Server server;
        try {
            server = startServer();
        } catch (StartupException e) {
            System.err.println("flashlab server: " + e.getMessage());
            return e.exitCode;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            server.close();
            stopped.countDown();
        }));
        System.out.println(Server.readinessLine(server.address()));
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** Checks the options, then builds and starts the chosen model. */
    Server startServer() throws IOException, StartupException {
        if (!Files.isDirectory(docroot)) {
            throw new StartupException(1, "--docroot " + docroot + " is not a directory");
        }
        Model chosen;
        try {
            chosen = Model.byName(model);
        } catch (IllegalArgumentException e) {
            throw new StartupException(2, e.getMessage());
        }
        ServerConfig config = ServerConfig.of(docroot).withHost(host).withPort(port)
                .withIdleTimeout(Duration.ofSeconds(idleTimeoutSeconds));
        Server server = chosen.create(config);
        try {
            server.start();
        } catch (BindException e) {
            server.close();
            throw new StartupException(1, "cannot bind " + host + ":" + port + ": " + e.getMessage()
                    + " (is another server running? try --port 0)");
        }
        return server;
    }

    /** The command line, with the model list in its help. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
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
