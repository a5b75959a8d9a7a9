package org.flashlab.contract;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;

/**
 * Any server started from a command line, as a child process: a student's server, the reference
 * server's MP model, or nginx behind a wrapper. It is ready when it prints the readiness line
 * ("Listening on http://HOST:PORT/", see {@link org.flashlab.server.Server#readinessLine}); the port
 * is read from that line, so servers can bind port 0.
 *
 * Stopping sends SIGTERM to the whole process tree, waits, then SIGKILLs what is left: a crashed or
 * hung student server never outlives the run that started it.
 */
public final class ServerProcess implements ServerUnderTest {
    public static final Pattern READY = Pattern.compile("Listening on http://([^/\\s]+):(\\d+)/");
    private static final int KEPT_LINES = 200;

    private final Process process;
    private final List<ProcessHandle> tree = new ArrayList<>();
    private final Deque<String> output = new ArrayDeque<>(); // guarded by itself
    private volatile int port = -1;
    private final Thread pump;

    private ServerProcess(Process process) {
        this.process = process;
        pump = Thread.ofPlatform().daemon().name("server-output-" + process.pid()).unstarted(this::pumpOutput);
        pump.start();
    }

    /**
     * Starts the command and waits for its readiness line.
     *
     * @throws IllegalStateException when the process exits or stays silent past {@code readyTimeout};
     *         the message carries its last lines of output
     */
    public static ServerProcess start(List<String> command, Path workingDirectory, Duration readyTimeout) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        ServerProcess server = new ServerProcess(process);
        try {
            await("readiness line from " + command.getFirst())
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(20))
                    .atMost(readyTimeout)
                    .until(() -> server.port >= 0 || !process.isAlive());
        } catch (ConditionTimeoutException e) {
            server.close();
            throw new IllegalStateException("no readiness line within " + readyTimeout + " from "
                    + String.join(" ", command) + "; output:\n" + server.output(), e);
        }
        if (server.port < 0) {
            try {
                server.pump.join(Duration.ofSeconds(5)); // its last words: read to the end of its output
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server.close();
            throw new IllegalStateException("server exited with status " + process.exitValue()
                    + " before it was ready; output:\n" + server.output());
        }
        return server;
    }

    private void pumpOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (port < 0) {
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        port = Integer.parseInt(m.group(2));
                    }
                }
                synchronized (output) {
                    if (output.size() == KEPT_LINES) {
                        output.removeFirst();
                    }
                    output.addLast(line);
                }
            }
        } catch (IOException e) {
            synchronized (output) {
                output.addLast("[flashlab: reading the server's output failed: " + e + "]");
            }
        }
    }

    /** The last lines the server printed (stdout and stderr together). */
    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    public Process process() {
        return process;
    }

    @Override
    public List<String> servingThreads() {
        return ProcessView.servingThreads(process.pid());
    }

    @Override
    public List<ProcessHandle> children() {
        return process.children().filter(ProcessHandle::isAlive).toList();
    }

    @Override
    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        synchronized (tree) {
            if (tree.isEmpty()) {
                tree.add(process.toHandle());
                process.toHandle().descendants().forEach(tree::add);
            }
        }
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                tree.forEach(ProcessHandle::destroyForcibly);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tree.forEach(ProcessHandle::destroyForcibly);
        }
        // Children that ignored SIGTERM after their parent went away.
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void awaitReleased() {
        await("the server's process tree to exit")
                .pollInSameThread()
                .atMost(Duration.ofSeconds(15))
                .until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
    }
}
