package org.flashlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.flashlab.contract.RawClient;
import org.flashlab.files.Optimizations;
import org.flashlab.files.SimulatedDisk;
import org.flashlab.reference.amped.AmpedServer;
import org.flashlab.reference.amted.AmtedServer;
import org.flashlab.reference.event.HelperStats;
import org.flashlab.reference.sped.SpedServer;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The emulated disk drives the models as a real one would, on any machine: its simulated cache
 * decides what AMTED and AMPED send to a helper, and a miss stalls SPED's whole loop but only
 * AMTED's helper.
 */
@Timeout(120)
class EmulatedDiskTest {
    private static final int KB = 1024;

    @TempDir
    Path www;
    private final byte[][] files = new byte[5][];

    @BeforeEach
    void site() throws IOException {
        Random random = new Random(11);
        for (int i = 0; i < files.length; i++) {
            files[i] = new byte[256 * KB]; // four 64 KB blocks each
            random.nextBytes(files[i]);
            Files.write(www.resolve("f" + i + ".bin"), files[i]);
        }
        Files.writeString(www.resolve("hot.txt"), "hot\n");
    }

    enum Kind {
        AMTED, AMPED;

        Server create(ServerConfig config) {
            return this == AMTED ? new AmtedServer(config, 2, Duration.ZERO) : new AmpedServer(config, 2, Duration.ZERO);
        }
    }

    private ServerConfig config(SimulatedDisk disk) {
        return ServerConfig.of(www).withIdleTimeout(Duration.ofSeconds(30)).withOptimizations(Optimizations.ALL_OFF)
                .withSimulatedDisk(disk);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theSimulatedCacheDecidesWhatGoesToAHelper(Kind kind) throws Exception {
        SimulatedDisk disk = new SimulatedDisk(16L * 64 * KB, Duration.ofMillis(1)); // room for four files
        try (Server server = kind.create(config(disk)); ) {
            server.start();
            HelperStats stats = (HelperStats) server;
            try (RawClient client = new RawClient(server.port())) {
                assertThat(client.get("/f0.bin").body()).isEqualTo(files[0]);
                assertThat(stats.helperFetches()).as("a miss goes to a helper").isEqualTo(1);
                assertThat(client.get("/f0.bin").body()).isEqualTo(files[0]);
                assertThat(stats.helperFetches()).as("now in the simulated cache: the loop sends it").isEqualTo(1);
                for (int i = 1; i <= 4; i++) {
                    assertThat(client.get("/f" + i + ".bin").body()).isEqualTo(files[i]);
                }
                assertThat(stats.helperFetches()).isEqualTo(5);
                assertThat(client.get("/f0.bin").body()).isEqualTo(files[0]);
                assertThat(stats.helperFetches()).as("four other files pushed f0 out of a four-file cache").isEqualTo(6);
            }
        }
        assertThat(disk.hitsAndMisses()[1]).as("blocks read from the emulated disk").isEqualTo(6 * 4);
    }

    @Test
    void aMissStallsSpedsWholeLoop() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(64L * 64 * KB, Duration.ofMillis(700));
        try (SpedServer server = new SpedServer(config(disk))) {
            server.start();
            try (RawClient warm = new RawClient(server.port())) {
                assertThat(warm.get("/hot.txt").bodyText()).isEqualTo("hot\n"); // now cached
            }
            CompletableFuture<byte[]> cold = fetch(server.port(), "/f1.bin");
            await("the loop to block on the emulated disk").atMost(Duration.ofSeconds(30)).until(() -> disk.waiting() == 1);
            try (RawClient client = new RawClient(server.port())) {
                assertThat(client.get("/hot.txt").bodyText()).isEqualTo("hot\n");
                assertThat(disk.waiting()).as("SPED answered the cached file only after the miss was over").isZero();
            }
            assertThat(cold.get(30, TimeUnit.SECONDS)).isEqualTo(files[1]);
        }
    }

    @Test
    void aMissWaitsInAnAmtedHelperWhileTheLoopServesTheCache() throws Exception {
        // A miss that lasts ten minutes: the helper is still asleep when the test ends, whatever the
        // machine's speed, and stopping the server wakes it.
        SimulatedDisk disk = new SimulatedDisk(64L * 64 * KB, Duration.ofMinutes(10));
        CompletableFuture<byte[]> cold;
        try (AmtedServer server = new AmtedServer(config(disk), 2, Duration.ZERO)) {
            server.start();
            disk.cache(www.resolve("hot.txt").toRealPath(), 0, 4); // cached from the start, data and metadata
            disk.cacheMetadata(www.resolve("hot.txt").toRealPath());
            try (RawClient warm = new RawClient(server.port())) {
                assertThat(warm.get("/hot.txt").bodyText()).isEqualTo("hot\n");
            }
            cold = fetch(server.port(), "/f1.bin");
            await("a helper to block on the emulated disk").atMost(Duration.ofSeconds(30)).until(() -> disk.waiting() == 1);
            try (RawClient client = new RawClient(server.port())) {
                for (int i = 0; i < 20; i++) {
                    assertThat(client.get("/hot.txt").bodyText()).isEqualTo("hot\n");
                }
            }
            assertThat(disk.waiting()).as("the helper is still waiting for the disk").isEqualTo(1);
            assertThat(cold).isNotDone();
        }
        assertThat(disk.waiting()).as("stopping the server woke the helper").isZero();
    }

    private static CompletableFuture<byte[]> fetch(int port, String path) {
        return CompletableFuture.supplyAsync(() -> {
            try (RawClient client = new RawClient(port)) {
                return client.get(path).body();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void theCommandLineTurnsItOn() throws Exception {
        Main main = new Main();
        picocli.CommandLine cli = new picocli.CommandLine(main);
        cli.parseArgs("--model", "sped", "--port", "0", "--docroot", www.toString(), "--sim-disk-cache-mb", "1",
                "--sim-disk-miss-ms", "0");
        try (Server server = main.startServer(); RawClient client = new RawClient(server.port())) {
            assertThat(client.get("/f2.bin").body()).isEqualTo(files[2]);
        }
        cli.parseArgs("--model", "sped", "--port", "0", "--docroot", www.toString(), "--sim-disk-cache-mb", "-1");
        org.assertj.core.api.Assertions.assertThatThrownBy(main::startServer).hasMessageContaining("must not be negative");
    }

    /**
     * The promise of Flash's helpers, checked on every kind of target: with a helper alive, no
     * metadata or data miss of the emulated disk is ever paid on the loop thread. The emulated disk
     * records which threads waited for it; in AMPED none of this process's did (its helpers wait in
     * their own processes), in AMTED only helper threads did, whatever the target: a file, a
     * directory's index, a redirect, a missing file, with the pathname cache on and off.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void noMissIsEverPaidOnTheLoopThread(Kind kind) throws Exception {
        Files.createDirectories(www.resolve("docs"));
        Files.writeString(www.resolve("docs/index.html"), "<p>docs</p>\n");
        for (Optimizations optimizations : List.of(Optimizations.ALL_ON, Optimizations.ALL_OFF)) {
            SimulatedDisk disk = new SimulatedDisk(64L * 64 * KB, Duration.ofMillis(1));
            try (Server server = kind.create(config(disk).withOptimizations(optimizations))) {
                server.start();
                Map<String, Integer> targets = new LinkedHashMap<>();
                targets.put("/f3.bin", 200);
                targets.put("/f3.bin?again", 200);
                targets.put("/f4.bin", 200);
                targets.put("/docs/", 200);
                targets.put("/docs", 301);
                targets.put("/missing.txt", 404);
                targets.put("/../etc/passwd", 400);
                for (Map.Entry<String, Integer> target : targets.entrySet()) {
                    try (RawClient client = new RawClient(server.port())) {
                        client.send("GET " + target.getKey() + " HTTP/1.1\r\nHost: t\r\n\r\n");
                        assertThat(client.read(false).status()).as("%s (%s)", target.getKey(), optimizations.label())
                                .isEqualTo(target.getValue());
                    }
                }
            }
            assertThat(disk.metadataMisses()).as("paths looked up on the emulated disk (%s)", optimizations.label()).isPositive();
            assertThat(disk.hitsAndMisses()[1]).as("blocks read from the emulated disk (%s)", optimizations.label()).isPositive();
            assertThat(disk.waitsByThread().keySet()).as("threads of this process that waited for the emulated disk (%s)",
                    optimizations.label()).allSatisfy(thread -> assertThat(thread).startsWith("amted-helper-"));
            if (kind == Kind.AMPED) {
                assertThat(disk.waitsByThread()).as("AMPED's helpers wait in their own processes").isEmpty();
            }
        }
    }
}
