package org.flashlab.reference.amped;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import org.flashlab.reference.event.Residency;

/**
 * The body of one AMPED helper process (Flash's "read helper"). It connects to the event loop over
 * a Unix-domain socket and, for each request, faults a file region into the page cache, which the
 * loop's process shares, then answers with the request's id. It is single-threaded and blocks as
 * much as it likes: blocking is its whole job.
 *
 * Wire format, big-endian: first the helper sends its pid (8); then request = id (8), position (8),
 * count (8), emulated delay in ns (8: what an emulated disk charges for the misses, else 0), path
 * length (4), path (UTF-8); reply = id (8). It exits when the loop closes the socket.
 */
public final class HelperProcess {
    private HelperProcess() {}

    public static void main(String[] args) throws IOException {
        Path socket = Path.of(args[0]);
        long delayNanos = Long.parseLong(args[1]) * 1_000_000L;
        try (SocketChannel loop = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            DataInputStream in = new DataInputStream(Channels.newInputStream(loop));
            ByteBuffer reply = ByteBuffer.allocate(8);
            reply.putLong(ProcessHandle.current().pid()).flip(); // who we are: helpers connect in any order
            while (reply.hasRemaining()) {
                loop.write(reply);
            }
            while (true) {
                long id;
                try {
                    id = in.readLong();
                } catch (EOFException e) {
                    return; // the loop has gone: so do we
                }
                long position = in.readLong();
                long count = in.readLong();
                long emulatedNanos = in.readLong();
                byte[] path = new byte[in.readInt()];
                in.readFully(path);
                if (delayNanos + emulatedNanos > 0) {
                    try {
                        Thread.sleep(Duration.ofNanos(delayNanos + emulatedNanos)); // a deliberately slow disk
                    } catch (InterruptedException e) {
                        return; // nobody interrupts a helper but its own shutdown
                    }
                }
                try (FileChannel file = FileChannel.open(Path.of(new String(path, StandardCharsets.UTF_8)),
                        StandardOpenOption.READ)) {
                    Residency.load(file, position, count);
                } catch (IOException e) {
                    // The loop will read the file itself and meet the same error there.
                    System.err.println("amped helper: cannot load " + new String(path, StandardCharsets.UTF_8) + ": " + e);
                }
                reply.clear().putLong(id).flip();
                while (reply.hasRemaining()) {
                    loop.write(reply);
                }
            }
        }
    }
}
