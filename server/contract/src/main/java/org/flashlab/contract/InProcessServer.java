package org.flashlab.contract;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.flashlab.server.Server;

/** Runs a {@link Server} in this JVM, remembering which threads and descriptors existed before it. */
public final class InProcessServer implements ServerUnderTest {
    private static final Path FD_DIR = Path.of("/proc/self/fd");

    /** Threads the JVM and the test framework start on their own; a server is not blamed for them. */
    private static final List<String> JVM_THREADS = List.of("process reaper", "Common-Cleaner", "Attach Listener",
            "ForkJoinPool.commonPool", "InnocuousThread", "JFR", "Notification Thread", "Reference Handler",
            "Finalizer", "Signal Dispatcher", "surefire", "junit", "awaitility", "Keep-Alive", "HttpClient",
            ArchitectureConformance.CLIENT_THREADS);

    private final Server server;
    private final Set<Thread> threadsBefore;
    private final Set<ProcessHandle> childrenBefore;
    private final long fdsBefore;

    private InProcessServer(Server server) {
        this.server = server;
        this.threadsBefore = Thread.getAllStackTraces().keySet();
        this.childrenBefore = ProcessHandle.current().children().collect(java.util.stream.Collectors.toSet());
        this.fdsBefore = openFds();
    }

    /** Starts the server and returns once it accepts connections. */
    public static InProcessServer start(Server server) throws IOException {
        InProcessServer handle = new InProcessServer(server);
        server.start();
        return handle;
    }

    public Server server() {
        return server;
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    @Override
    public List<String> servingThreads() {
        return newThreads().stream().filter(name -> !ProcessView.isJvmThread(name)).toList();
    }

    @Override
    public List<ProcessHandle> children() {
        return ProcessHandle.current().children().filter(p -> p.isAlive() && !childrenBefore.contains(p)).toList();
    }

    @Override
    public void awaitReleased() {
        await("threads started by the server to end")
                .pollInSameThread()
                .atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> org.assertj.core.api.Assertions.assertThat(newThreads())
                        .as("threads still alive after close()").isEmpty());
        if (fdsBefore >= 0) {
            await("file descriptors opened by the server to close")
                    .pollInSameThread()
                    .atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> org.assertj.core.api.Assertions.assertThat(openFds())
                            .as("open file descriptors after close() (there were %d before start())", fdsBefore)
                            .isLessThanOrEqualTo(fdsBefore));
        }
    }

    private List<String> newThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !threadsBefore.contains(t))
                .map(Thread::getName)
                .filter(name -> JVM_THREADS.stream().noneMatch(name::startsWith))
                .toList();
    }

    /** Open descriptors of this process, or -1 where /proc is not available (macOS, Windows). */
    static long openFds() {
        if (!Files.isDirectory(FD_DIR)) {
            return -1;
        }
        try (Stream<Path> fds = Files.list(FD_DIR)) {
            return fds.count() - 1; // the listing itself holds one descriptor
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + FD_DIR, e);
        }
    }
}
