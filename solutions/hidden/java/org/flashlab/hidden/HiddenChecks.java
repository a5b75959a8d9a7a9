package org.flashlab.hidden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.RawClient;
import org.flashlab.contract.RawResponse;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hidden tests: what the grader checks beyond the provided tests, on every lesson's server. They
 * stay in the instructor's kit (solutions/ is never exported) and are compiled into each submission's
 * workspace by `flashlab grade`. Each lesson's class says only how to make its server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
public abstract class HiddenChecks {
    private static final int BIG = 3 * 1024 * 1024 + 17;

    private InProcessServer server;
    private byte[] big;

    /** The lesson's server on {@code config}. */
    protected abstract Server server(ServerConfig config) throws Exception;

    @BeforeAll
    void start(@TempDir Path docroot) throws Exception {
        big = new byte[BIG];
        new Random(16).nextBytes(big);
        Files.write(docroot.resolve("big.bin"), big);
        Files.writeString(docroot.resolve("small.txt"), "a small file\n");
        Files.createDirectories(docroot.resolve("dir with space"));
        Files.writeString(docroot.resolve("dir with space/inner.txt"), "inside\n");
        server = InProcessServer.start(server(ServerConfig.of(docroot).withIdleTimeout(Duration.ofSeconds(5))));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aFileOfThreeMegabytesArrivesWhole() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            RawResponse r = c.send("GET /big.bin HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").read(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).as("the body of a 3 MB file").isEqualTo(big);
        }
    }

    @Test
    void sixteenClientsAtOnceEachGetTheirFile() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<RawResponse>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() -> {
                    try (RawClient c = new RawClient(server.port())) {
                        return c.send("GET /small.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").read(false);
                    }
                }));
            }
            for (Future<RawResponse> f : answers) {
                RawResponse r = f.get();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("a small file\n");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMissingFileIsNotFoundAndTheNextRequestIsServed() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.get("/no-such-file.txt").status()).isEqualTo(404);
        }
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.get("/small.txt").bodyText()).isEqualTo("a small file\n");
        }
    }

    @Test
    void anEncodedPathIsDecoded() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            RawResponse r = c.send("GET /dir%20with%20space/inner.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                    .read(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("inside\n");
        }
    }

    @Test
    void aPathThatClimbsOutOfTheRootIsRefused() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            RawResponse r = c.send("GET /../../etc/passwd HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").read(false);
            assertThat(r.status()).isBetween(400, 404);
        }
    }
}
