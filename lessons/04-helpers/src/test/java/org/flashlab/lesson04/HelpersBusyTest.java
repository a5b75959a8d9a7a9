package org.flashlab.lesson04;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.flashlab.lesson04.amped.AmpedServer;
import org.flashlab.lesson04.amted.AmtedServer;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The point of helpers, at their limit: every helper is held at the emulated disk's gate (and one
 * request more waits for a free helper), and still the loop answers a cached file at once. When the
 * gate opens, every held request is answered with the right bytes. Nothing is judged by the clock:
 * the cached file must arrive while the gate is still shut.
 */
@Timeout(120)
class HelpersBusyTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("AMTED: with every helper thread waiting for the disk, the loop still serves a cached file")
    void amted() throws Exception {
        everyHelperBusy(AmtedServer::new, AmtedServer.HELPERS);
    }

    @Test
    @DisplayName("AMPED: with every helper process waiting for the disk, the loop still serves a cached file")
    void amped() throws Exception {
        everyHelperBusy(AmpedServer::new, AmpedServer.HELPERS);
    }

    private void everyHelperBusy(Function<ServerConfig, Server> make, int helpers) throws Exception {
        int cold = helpers + 1; // one more than there are helpers: it waits for one to be free
        GatedSite site = new GatedSite(dir, cold);
        try (Server server = make.apply(site.config())) {
            server.start();
            for (int i = 0; i < 2; i++) { // its path and its bytes are now in the (emulated) caches
                try (Socket warm = GatedSite.get(server.port(), "/hot.txt")) {
                    assertThat(GatedSite.body(GatedSite.answer(warm))).asString(StandardCharsets.ISO_8859_1).isEqualTo(GatedSite.HOT);
                }
            }
            Files.createFile(site.gate);
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < cold; i++) {
                    held.add(GatedSite.get(server.port(), "/cold-" + i + ".bin"));
                }
                await("all " + helpers + " helpers waiting at the disk's gate").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(10)).until(() -> site.waitingLines() >= helpers);
                String waiting = site.waiting();
                assertThat(waiting).as("who waits at the gate: helpers, never the event loop").doesNotContain("event-loop");
                try (Socket hot = GatedSite.get(server.port(), "/hot.txt")) {
                    byte[] answer = GatedSite.answer(hot);
                    assertThat(GatedSite.body(answer)).asString(StandardCharsets.ISO_8859_1)
                            .as("the cached file, answered while every helper waits for the disk").isEqualTo(GatedSite.HOT);
                }
                for (Socket s : held) {
                    InputStream in = s.getInputStream();
                    assertThat(in.available()).as("a cold request answered while the gate was shut").isZero();
                }
                assertThat(site.waiting()).as("every held read is still held when the cached file arrives")
                        .contains(waiting.strip());
                Files.delete(site.gate);
                for (int i = 0; i < cold; i++) {
                    byte[] answer = GatedSite.answer(held.get(i));
                    assertThat(GatedSite.statusLine(answer)).as("cold-%d.bin's status", i).contains("200");
                    assertThat(GatedSite.body(answer)).as("cold-%d.bin's bytes, once the gate opened", i).isEqualTo(site.cold(i));
                }
            } finally {
                Files.deleteIfExists(site.gate);
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
