package org.flashlab.grader.load;

import java.io.IOException;
import java.io.InputStream;
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

    /** Streams the file: a dataset's large files need not fit in the heap. */
    public static Expected ofFile(Path file) throws IOException {
        CRC32 crc = new CRC32();
        long length = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
                length += n;
            }
        }
        return new Expected(length, crc.getValue());
    }
}
