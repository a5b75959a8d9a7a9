package org.flashlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.flashlab.contract.RawClient;
import org.flashlab.contract.RawResponse;
import org.flashlab.files.Optimizations;
import org.flashlab.files.PageCache;
import org.flashlab.reference.amped.AmpedServer;
import org.flashlab.reference.amted.AmtedServer;
import org.flashlab.reference.event.HelperStats;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * AMTED and AMPED: a file that is not in memory goes to a helper, and the loop keeps serving files
 * that are, even while a helper waits on a slow disk. The page cache is emptied for real with
 * posix_fadvise (PageCache), so these tests need Linux and a disk-backed temporary directory.
 */
@Timeout(120)
class AsymmetricModelsTest {
    @TempDir
    Path www;
    byte[] cold;

    enum Kind {
        AMTED, AMPED;

        Server create(ServerConfig config, Duration helperDelay) {
            return switch (this) {
                case AMTED -> new AmtedServer(config, 2, helperDelay);
                case AMPED -> new AmpedServer(config, 2, helperDelay);
            };
        }
    }

    @BeforeEach
    void site() throws IOException {
        cold = new byte[2 * 1024 * 1024];
        new Random(7).nextBytes(cold);
        Files.write(www.resolve("cold.bin"), cold);
        Files.writeString(www.resolve("hot.txt"), "always in memory\n");
        assumeTrue(PageCache.evictionSupported(), "needs Linux's posix_fadvise");
        PageCache.evict(www.resolve("cold.bin"));
        assumeTrue(PageCache.residentFraction(www.resolve("cold.bin")) < 0.5,
                "this filesystem keeps files in memory (tmpfs?): " + www);
    }

    private ServerConfig config(Optimizations optimizations) {
        return ServerConfig.of(www).withIdleTimeout(Duration.ofSeconds(30)).withOptimizations(optimizations);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aColdFileGoesThroughAHelperAndAHotOneDoesNot(Kind kind) throws Exception {
        for (Optimizations optimizations : new Optimizations[] {Optimizations.ALL_ON, Optimizations.ALL_OFF}) {
            // A fresh cold file each time: pages stay resident while a server maps them, so this
            // round does not depend on how the previous server let go of its mappings.
            Files.copy(www.resolve("cold.bin"), www.resolve("cold-" + optimizations.label() + ".bin"));
            Path coldFile = www.resolve("cold-" + optimizations.label() + ".bin");
            PageCache.evict(coldFile);
            try (Server server = kind.create(config(optimizations), Duration.ZERO)) {
                server.start();
                try (RawClient client = new RawClient(server.port())) {
                    assertThat(client.get("/hot.txt").status()).isEqualTo(200);
                    assertThat(((HelperStats) server).helperFetches()).as("a resident file is sent by the loop itself").isZero();
                    RawResponse response = client.get("/" + coldFile.getFileName());
                    assertThat(response.body()).as("bytes of the cold file").isEqualTo(cold);
                    assertThat(((HelperStats) server).helperFetches()).as("the cold file went through a helper (%s)",
                            optimizations.label()).isEqualTo(1);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void whileAHelperWaitsForTheDiskCachedFilesAreStillServed(Kind kind) throws Exception {
        try (Server server = kind.create(config(Optimizations.ALL_ON), Duration.ofSeconds(3))) {
            server.start();
            CompletableFuture<byte[]> coldBody = CompletableFuture.supplyAsync(() -> {
                try (RawClient client = new RawClient(server.port())) {
                    return client.get("/cold.bin").body();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            await("the cold request to reach a helper").atMost(Duration.ofSeconds(30))
                    .until(() -> ((HelperStats) server).helperSubmissions() == 1);
            try (RawClient client = new RawClient(server.port())) {
                for (int i = 0; i < 20; i++) {
                    assertThat(client.get("/hot.txt").bodyText()).isEqualTo("always in memory\n");
                }
            }
            assertThat(coldBody).as("the cold file is still with the slow helper").isNotDone();
            assertThat(((HelperStats) server).helperFetches()).isZero();
            assertThat(coldBody.get(30, TimeUnit.SECONDS)).isEqualTo(cold);
            assertThat(((HelperStats) server).helperFetches()).isEqualTo(1);
        }
    }

    @org.junit.jupiter.api.Test
    void whenEveryAmpedHelperDiesTheLoopReadsForItself() throws Exception {
        try (AmpedServer server = new AmpedServer(config(Optimizations.ALL_OFF), 1, Duration.ZERO)) {
            server.start();
            ProcessHandle helper = ProcessHandle.current().descendants()
                    .filter(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("").contains("HelperProcess"))
                    .findFirst().orElseThrow();
            helper.destroyForcibly();
            await("the helper to die").atMost(Duration.ofSeconds(30)).until(() -> !helper.isAlive());
            try (RawClient client = new RawClient(server.port())) {
                for (int i = 0; i < 2; i++) { // the first finds the helper gone, the second finds none left
                    PageCache.evict(www.resolve("cold.bin"));
                    assertThat(client.get("/cold.bin").body()).isEqualTo(cold);
                }
            }
        }
    }
}
