package org.flashlab.lesson04.amped;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.flashlab.files.DocumentRoot;
import org.flashlab.files.StaticFileHandler.Translation;
import org.flashlab.http.HttpException;
import org.flashlab.http.HttpStatus;

/**
 * Given: what the loop and its helper processes say to each other, big-endian, in one place.
 *
 * <pre>
 *   helper, once:  pid (8)
 *   request:       id (8), kind (1), emulated misses to wait for (8), then
 *                    TRANSLATE: target (string)
 *                    LOAD:      position (8), count (8), path (string)
 *   reply:         id (8), payload length (4), payload:
 *                    to LOAD: nothing
 *                    to TRANSLATE: FOUND mtime (8) path | REDIRECT location | REFUSED status reason
 *   string:        length (4), UTF-8 bytes
 * </pre>
 */
final class Wire {
    static final byte TRANSLATE = 'T';
    static final byte LOAD = 'L';
    private static final byte FOUND = 'F';
    private static final byte REDIRECT = 'R';
    private static final byte REFUSED = 'X';

    /** The header of a reply: id and payload length. */
    static final int REPLY_HEADER = 12;

    private Wire() {}

    static ByteBuffer translateRequest(long id, long misses, String target) {
        byte[] t = target.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + 1 + 8 + 4 + t.length)
                .putLong(id).put(TRANSLATE).putLong(misses).putInt(t.length).put(t).flip();
    }

    static ByteBuffer loadRequest(long id, long misses, long position, long count, Path file) {
        byte[] p = file.toString().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + 1 + 8 + 8 + 8 + 4 + p.length)
                .putLong(id).put(LOAD).putLong(misses).putLong(position).putLong(count).putInt(p.length).put(p).flip();
    }

    static ByteBuffer reply(long id, byte[] payload) {
        return ByteBuffer.allocate(REPLY_HEADER + payload.length).putLong(id).putInt(payload.length).put(payload).flip();
    }

    static String readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] encode(DocumentRoot.Resolution resolution) {
        return switch (resolution) {
            case DocumentRoot.Found found -> {
                byte[] path = found.path().toString().getBytes(StandardCharsets.UTF_8);
                yield ByteBuffer.allocate(1 + 8 + path.length).put(FOUND).putLong(found.lastModifiedSeconds()).put(path).array();
            }
            case DocumentRoot.Redirect redirect -> {
                byte[] location = redirect.location().getBytes(StandardCharsets.UTF_8);
                yield ByteBuffer.allocate(1 + location.length).put(REDIRECT).put(location).array();
            }
        };
    }

    static byte[] encode(HttpException refusal) {
        byte[] status = refusal.status().name().getBytes(StandardCharsets.UTF_8);
        byte[] reason = String.valueOf(refusal.getMessage()).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 4 + status.length + reason.length)
                .put(REFUSED).putInt(status.length).put(status).put(reason).array();
    }

    /** A translation's payload back into a Translation. */
    static Translation decodeTranslation(ByteBuffer payload) throws IOException {
        byte kind = payload.get();
        switch (kind) {
            case FOUND -> {
                long mtime = payload.getLong();
                return new Translation(new DocumentRoot.Found(Path.of(rest(payload)), mtime), null);
            }
            case REDIRECT -> {
                return new Translation(new DocumentRoot.Redirect(rest(payload)), null);
            }
            case REFUSED -> {
                byte[] status = new byte[payload.getInt()];
                payload.get(status);
                HttpStatus s = HttpStatus.valueOf(new String(status, StandardCharsets.UTF_8));
                return new Translation(null, new HttpException(s, rest(payload)));
            }
            default -> throw new IOException("a helper answered a translation with kind " + kind);
        }
    }

    private static String rest(ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
