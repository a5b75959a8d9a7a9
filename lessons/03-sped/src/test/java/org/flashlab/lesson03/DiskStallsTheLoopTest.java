package org.flashlab.lesson03;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.flashlab.files.DiskGate;
import org.flashlab.files.SimulatedDisk;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPED's weakness, shown: while the loop waits for the disk, nobody is served. This test passes on a
 * correct SPED server. It runs the server on the kit's emulated disk, holds a read of a file that is
 * not in the (emulated) page cache at the disk's gate, and then asks for a file that is cached.
 * Nothing is answered until the gate opens: the loop's one thread is asleep in the read.
 * README, "When the disk blocks", says why, and lesson 04 fixes it with helpers.
 */
@Timeout(60)
class DiskStallsTheLoopTest {
    @TempDir
    Path dir;

    private static Socket request(int port, String path) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    @Test
    @DisplayName("while a cold read waits for the disk, a cached file is not answered either")
    void everyoneWaitsForTheDisk() throws Exception {
        Path site = Files.createDirectory(dir.resolve("www"));
        Files.writeString(site.resolve("hot.txt"), "hot\n");
        Files.write(site.resolve("cold.bin"), new byte[256 * 1024]);
        Path gateFile = dir.resolve("gate");
        SimulatedDisk disk = new SimulatedDisk(64L * 1024 * 1024, Duration.ZERO, new DiskGate(gateFile));
        try (SpedServer server = new SpedServer(ServerConfig.of(site).withSimulatedDisk(disk)
                .withIdleTimeout(Duration.ofSeconds(60)))) {
            server.start();
            try (Socket warm = request(server.port(), "/hot.txt")) { // hot.txt is now in the emulated cache
                assertThat(new String(warm.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).endsWith("hot\n");
            }
            Files.createFile(gateFile); // from now on every miss waits at the gate
            try (Socket cold = request(server.port(), "/cold.bin")) {
                await("the loop to reach the disk's gate").atMost(Duration.ofSeconds(30)).until(() -> disk.waiting() == 1);
                try (Socket hot = request(server.port(), "/hot.txt")) {
                    InputStream hotIn = hot.getInputStream();
                    assertThat(disk.waiting()).as("reads held at the gate").isEqualTo(1);
                    assertThat(hotIn.available())
                            .as("bytes answered for the cached file while the loop's one thread waits for the disk")
                            .isZero();
                    assertThat(disk.waitsByThread()).as("who is waiting for the disk: the event loop itself")
                            .containsKey("event-loop");
                    Files.delete(gateFile); // the disk answers
                    assertThat(new String(hotIn.readAllBytes(), StandardCharsets.ISO_8859_1))
                            .as("the cached file, answered once the disk let the loop go").endsWith("hot\n");
                }
                assertThat(cold.getInputStream().readAllBytes()).as("the cold file's answer, head and body")
                        .hasSizeGreaterThan(256 * 1024);
            } finally {
                Files.deleteIfExists(gateFile);
            }
        }
    }
}
