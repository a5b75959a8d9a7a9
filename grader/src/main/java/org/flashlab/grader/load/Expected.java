package org.flashlab.grader.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * What a correct response body is: its length and CRC-32. A response whose body differs counts as
 * a "wrong bytes" error and never as throughput.
 */
public record Expected(long length, long crc32) {

    public static Expected of(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return new Expected(body.length, crc.getValue());
    }

    public static Expected ofFile(Path file) throws IOException {
        return of(Files.readAllBytes(file));
    }
}
