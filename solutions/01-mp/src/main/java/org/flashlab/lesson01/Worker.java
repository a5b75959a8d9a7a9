package org.flashlab.lesson01;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

import org.flashlab.files.StaticFileHandler;
import org.flashlab.server.BlockingConnection;
import org.flashlab.server.ParentWatch;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;

/**
 * Task 1: one worker process of the multi-process (MP) server. Each worker is a whole iterative
 * server in a JVM of its own: it listens on the shared port, serves one connection at a time, and
 * tells its supervisor (through its stdout, a pipe) how many connections it has served.
 *
 * <pre>
 *              +-------------------- port 8080 (SO_REUSEPORT) --------------------+
 *              |                          |                          |            |
 *        [ worker 1 ]               [ worker 2 ]               [ worker 3 ]       the kernel picks
 *        accept, serve              accept, serve              accept, serve      one per connection
 *              \__________ stdout pipes: "served 17" ________________/
 *                                         |
 *                                  [ supervisor ]  starts them, replaces the dead, stops them all
 * </pre>
 *
 * Run as a program: {@code Worker --host ADDR --port N --docroot DIR --idle-timeout S}.
 */
public final class Worker {
    private final ServerConfig config;
    private final PrintStream report;

    /** A worker that serves as {@code config} says and reports on {@code report}. */
    public Worker(ServerConfig config, PrintStream report) {
        this.config = config;
        this.report = report;
    }

    /**
     * Opens the listening socket with SO_REUSEPORT, so that every worker can bind the same port and
     * the kernel spreads incoming connections among them: the lecture's "tricky port setup". Port 0
     * picks a free port, which the first worker reports and the others then bind.
     */
    public static ServerSocketChannel listen(ServerConfig config) throws IOException {
        // BEGIN SOLUTION
        return config.withReusePort(true).openListener();
        // STARTER
        // // TODO Task 1: bind the port so that several processes can share it (README, "Task 1").
        // throw new UnsupportedOperationException("Task 1 is not done yet: Worker.listen (README, \"Task 1\")");
        // END SOLUTION
    }

    /**
     * Accepts and serves connections one at a time until the listener is closed. After each
     * connection it prints {@code served N} on the report stream (N counts this worker's connections
     * so far), which is how the supervisor learns what its workers did.
     */
    public void serve(ServerSocketChannel listener) throws IOException {
        // BEGIN SOLUTION
        try (StaticFileHandler handler = config.newHandler()) {
            long served = 0;
            while (true) {
                SocketChannel connection;
                try {
                    connection = listener.accept();
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    // Out of descriptors (EMFILE), say: the connection waits in the backlog. Pause, or
                    // this loop would spin until a descriptor is free.
                    System.err.println("worker " + ProcessHandle.current().pid() + ": accept failed, pausing: " + e);
                    java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
                    continue;
                }
                BlockingConnection.serve(connection, handler, config); // closes the connection
                served++;
                report.println("served " + served);
                report.flush();
            }
        }
        // STARTER
        // // TODO Task 1: accept, serve with BlockingConnection.serve, report "served N" (README, "Task 1").
        // throw new UnsupportedOperationException("Task 1 is not done yet: Worker.serve (README, \"Task 1\")");
        // END SOLUTION
    }

    /** The worker process: listens, prints the readiness line, serves until killed or orphaned. */
    public static void main(String[] args) throws IOException {
        ServerConfig config = parse(args);
        ParentWatch.exitWhenParentDies(); // no orphans: see README, "Who stops a worker?"
        ServerSocketChannel listener = listen(config);
        System.out.println(Server.readinessLine((java.net.InetSocketAddress) listener.getLocalAddress()));
        System.out.flush();
        new Worker(config, System.out).serve(listener);
    }

    /** {@code --host ADDR --port N --docroot DIR --idle-timeout S}, as the supervisor passes them. */
    static ServerConfig parse(String[] args) {
        ServerConfig config = null;
        String host = "127.0.0.1";
        int port = 0;
        long idle = ServerConfig.DEFAULT_IDLE_TIMEOUT.toSeconds();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host" -> host = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--docroot" -> config = ServerConfig.of(Path.of(args[i + 1]));
                case "--idle-timeout" -> idle = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (config == null) {
            throw new IllegalArgumentException("usage: Worker [--host ADDR] --port N --docroot DIR [--idle-timeout S]");
        }
        return config.withHost(host).withPort(port).withIdleTimeout(Duration.ofSeconds(idle));
    }
}
