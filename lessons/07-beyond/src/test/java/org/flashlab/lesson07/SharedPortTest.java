package org.flashlab.lesson07;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.flashlab.contract.RawClient;
import org.flashlab.lesson07.hybrid.HybridWorker;
import org.flashlab.lesson07.nsped.NSpedWorker;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workers of N-SPED and the hybrid, two of each in this process, as their processes run them:
 * both bind one port (SO_REUSEPORT), and each serves. (The conformance tests run them as processes.)
 */
@Timeout(60)
class SharedPortTest {
    @TempDir
    Path dir;

    private ServerConfig config() throws Exception {
        Path site = Files.createDirectory(dir.resolve("www"));
        Files.writeString(site.resolve("index.html"), "<h1>one port, two servers</h1>\n");
        return ServerConfig.of(site).withIdleTimeout(Duration.ofSeconds(30)).withReusePort(true);
    }

    private static void twoOnOnePort(ServerConfig config, java.util.function.Function<ServerConfig, Server> make) throws Exception {
        try (Server first = make.apply(config)) {
            first.start();
            int port = first.port();
            try (Server second = make.apply(config.withPort(port))) {
                second.start();
                assertThat(second.port()).as("the second worker's port").isEqualTo(port);
                for (int round = 0; round < 2; round++) {
                    // Whichever listener the kernel picks, the answer is the same; once the first
                    // has closed, the second must serve alone.
                    try (RawClient c = new RawClient(port)) {
                        assertThat(c.get("/index.html").bodyText()).as("round %d", round)
                                .isEqualTo("<h1>one port, two servers</h1>\n");
                    }
                    first.close();
                }
            }
        }
    }

    @Test
    @DisplayName("two N-SPED workers share a port, and either serves")
    void nsped() throws Exception {
        twoOnOnePort(config(), NSpedWorker::new);
    }

    @Test
    @DisplayName("two hybrid workers (4 threads each) share a port, and either serves")
    void hybrid() throws Exception {
        twoOnOnePort(config(), c -> new HybridWorker(c, 4));
    }
}
