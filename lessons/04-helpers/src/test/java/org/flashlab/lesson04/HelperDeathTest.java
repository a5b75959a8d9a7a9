package org.flashlab.lesson04;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flashlab.lesson04.amped.AmpedServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A helper process can die (a crash, the OOM killer, a kill -9). Its request must not die with it:
 * the loop must answer it (by itself, or through another helper) or refuse it with a status, never
 * leave the client waiting. And the server must go on with a full set of helpers.
 */
@Timeout(120)
class HelperDeathTest {
    private static final Pattern WHO = Pattern.compile("pid (\\d+) thread \\S+ (?:data|metadata) .*cold-0\\.bin");

    @TempDir
    Path dir;

    @Test
    @DisplayName("when the helper holding a request is killed, the request is still answered, and a new helper takes its place")
    void aKilledHelpersRequestIsAnswered() throws Exception {
        GatedSite site = new GatedSite(dir, 2);
        try (AmpedServer server = new AmpedServer(site.config())) {
            server.start();
            Files.createFile(site.gate);
            try (Socket cold = GatedSite.get(server.port(), "/cold-0.bin")) {
                await("a helper to wait at the gate for cold-0.bin").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(10)).until(() -> WHO.matcher(site.waiting()).find());
                Matcher m = WHO.matcher(site.waiting());
                assertThat(m.find()).isTrue();
                long pid = Long.parseLong(m.group(1));
                ProcessHandle helper = ProcessHandle.of(pid).orElseThrow();
                assertThat(helper.parent().map(ProcessHandle::pid)).as("the waiting process is one of the server's helpers")
                        .contains(ProcessHandle.current().pid());
                helper.destroyForcibly(); // kill -9: no goodbye on the socket
                await("the killed helper to be gone").atMost(Duration.ofSeconds(30)).until(() -> !helper.isAlive());
                Files.delete(site.gate); // whoever reads it now is not held
                byte[] answer = GatedSite.answer(cold);
                String status = GatedSite.statusLine(answer);
                assertThat(status).as("the answer to the request whose helper was killed: 200, or a refusal such as 503")
                        .matches("HTTP/1\\.1 (200|503) .*");
                if (status.contains("200")) {
                    assertThat(GatedSite.body(answer)).as("cold-0.bin's bytes").isEqualTo(site.cold(0));
                }
            } finally {
                Files.deleteIfExists(site.gate);
            }
            await("a full set of " + AmpedServer.HELPERS + " live helper processes again").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> ProcessHandle.current().children().filter(ProcessHandle::isAlive).count() == AmpedServer.HELPERS);
            try (Socket next = GatedSite.get(server.port(), "/cold-1.bin")) {
                byte[] answer = GatedSite.answer(next);
                assertThat(GatedSite.statusLine(answer)).contains("200");
                assertThat(GatedSite.body(answer)).as("a later cold file, after the death").isEqualTo(site.cold(1));
            }
        }
    }
}
