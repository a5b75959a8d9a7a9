package org.flashlab.lesson02;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import org.flashlab.lesson02.bossworker.BossWorkerServer;
import org.flashlab.lesson02.dynamic.DynamicPoolServer;
import org.flashlab.lesson02.perconnection.ThreadPerConnectionServer;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tasks 2 to 4: what the contract cannot see from outside. close() must wake every thread that waits
 * on a client (by closing its connection), and return only when they have all ended; a server that
 * leaves threads behind leaks them in every test, and in every restart of a real service.
 */
@Timeout(60)
class CloseTest {
    /** The names the lesson's servers give their threads (other threads, a test runner's, come and go). */
    private static final java.util.regex.Pattern SERVER_THREAD =
            java.util.regex.Pattern.compile("acceptor|connection-\\d+|boss|worker-\\d+|pool-\\d+");

    @TempDir
    Path docroot;

    static Stream<Arguments> servers() {
        return Stream.of(
                Arguments.of("ThreadPerConnectionServer", "Task 2",
                        (Function<ServerConfig, Server>) ThreadPerConnectionServer::new),
                Arguments.of("BossWorkerServer", "Task 3",
                        (Function<ServerConfig, Server>) c -> new BossWorkerServer(c, 4, 4)),
                Arguments.of("DynamicPoolServer", "Task 4",
                        (Function<ServerConfig, Server>) c -> new DynamicPoolServer(c, 1, 4, Duration.ofSeconds(30))));
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    @DisplayName("close() with clients connected returns only when every thread it started has ended, and the clients see the end")
    void closeEndsEveryThread(String name, String task, Function<ServerConfig, Server> make) throws IOException {
        Files.writeString(docroot.resolve("index.html"), "hello\n");
        Set<Thread> before = liveThreads();
        Server server = make.apply(ServerConfig.of(docroot).withIdleTimeout(Duration.ofSeconds(60)));
        server.start();
        try (Socket first = Clients.idle(server.port()); Socket second = Clients.idle(server.port());
             Socket third = Clients.idle(server.port())) {
            assertThat(Clients.get(server.port(), "/")).startsWith("HTTP/1.1 200"); // the three are accepted by now
            server.close();
            assertThat(liveThreads().stream().filter(t -> !before.contains(t)).filter(Thread::isAlive)
                    .map(Thread::getName).filter(SERVER_THREAD.asMatchPredicate()))
                    .as("%s's threads (found by the names the README gives them: acceptor, connection-N, boss, "
                            + "worker-N, pool-N) alive right after close() returned: close every connection, then join "
                            + "(hint: README, \"%s\")", name, task)
                    .isEmpty();
            for (Socket s : new Socket[] {first, second, third}) {
                assertThat(readEnd(s)).as("what an idle client reads after close() (hint: README, \"%s\")", task).isTrue();
            }
        }
    }

    /** True when the socket reads end-of-stream or a reset: the server closed it. */
    private static boolean readEnd(Socket s) {
        try {
            s.setSoTimeout(10_000);
            return s.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    @DisplayName("sizes that make no sense are refused when the server is made")
    void refusesNonsense(@TempDir Path dir) {
        ServerConfig config = ServerConfig.of(dir);
        assertThatThrownBy(() -> new BossWorkerServer(config, 0, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BossWorkerServer(config, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        new BossWorkerServer(config, 1, 1).close(); // the smallest that works; close() before start() is fine
        assertThatThrownBy(() -> new DynamicPoolServer(config, 0, 4, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DynamicPoolServer(config, 3, 2, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        new DynamicPoolServer(config, 2, 2, Duration.ofSeconds(1)).close();
    }
}
