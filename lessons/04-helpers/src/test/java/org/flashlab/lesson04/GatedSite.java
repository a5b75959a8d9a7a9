package org.flashlab.lesson04;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import org.flashlab.files.DiskGate;
import org.flashlab.files.SimulatedDisk;
import org.flashlab.server.ServerConfig;

/**
 * A document root on the kit's emulated disk, with a gate: while the gate's file exists, every read
 * that misses the emulated cache waits there, after writing a line that says who waits and for what
 * ("pid 812 thread amted-helper-0 data /tmp/.../cold-1.bin").
 */
final class GatedSite {
    static final String HOT = "served from memory\n";
    static final int COLD_BYTES = 256 * 1024;

    final Path site;
    final Path gate;
    final SimulatedDisk disk;

    GatedSite(Path dir, int coldFiles) throws IOException {
        site = Files.createDirectory(dir.resolve("www"));
        gate = dir.resolve("disk.gate");
        Files.writeString(site.resolve("hot.txt"), HOT);
        Random random = new Random(1999);
        for (int i = 0; i < coldFiles; i++) {
            byte[] cold = new byte[COLD_BYTES];
            random.nextBytes(cold);
            Files.write(site.resolve("cold-" + i + ".bin"), cold);
        }
        disk = new SimulatedDisk(64L * 1024 * 1024, Duration.ZERO, new DiskGate(gate));
    }

    ServerConfig config() {
        return ServerConfig.of(site).withSimulatedDisk(disk).withIdleTimeout(Duration.ofSeconds(60));
    }

    byte[] cold(int i) throws IOException {
        return Files.readAllBytes(site.resolve("cold-" + i + ".bin"));
    }

    /** Who waits at the gate now, one line each. */
    String waiting() throws IOException {
        return Files.exists(gate) ? Files.readString(gate, StandardCharsets.UTF_8) : "";
    }

    long waitingLines() throws IOException {
        return waiting().lines().count();
    }

    /** Sends a GET that closes the connection after its answer; the answer is then read to the end. */
    static Socket get(int port, String path) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(30_000);
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: lesson04\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    /** The whole answer, head and body. */
    static byte[] answer(Socket s) throws IOException {
        return s.getInputStream().readAllBytes();
    }

    /** The body of an answer (after the blank line). */
    static byte[] body(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        return end < 0 ? new byte[0] : java.util.Arrays.copyOfRange(answer, end + 4, answer.length);
    }

    static String statusLine(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n");
        return end < 0 ? text : text.substring(0, end);
    }
}
