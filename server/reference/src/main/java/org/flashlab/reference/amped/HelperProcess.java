package org.flashlab.reference.amped;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import org.flashlab.files.DiskGate;
import org.flashlab.files.DocumentRoot;
import org.flashlab.files.SimulatedDisk;
import org.flashlab.http.HttpException;
import org.flashlab.reference.event.Residency;

/**
 * The body of one AMPED helper process: Flash's pathname-translation helper and read helper in one.
 * It connects to the event loop over a Unix-domain socket and serves two kinds of request:
 * <ul>
 *   <li>translate a request target to a file, with every check of {@link DocumentRoot} (the lookups
 *       and stats bring the directory entries and inodes into the kernel's caches, which the loop's
 *       process shares), and answer with what it found;</li>
 *   <li>fault a file region into the page cache, and answer when it is there.</li>
 * </ul>
 * It is single-threaded and blocks as much as it likes: blocking is its whole job.
 *
 * Wire format ({@link Wire}): the helper first sends its pid; then each request is answered in
 * order. It exits when the loop closes the socket.
 *
 * Arguments: socket, helper delay (ms, --helper-delay-ms), docroot, and for an emulated disk the
 * delay of one miss (ns) and the gate's file ("-" for none): the emulated cache lives in the loop's
 * process, which tells the helper how many misses each request costs.
 */
public final class HelperProcess {
    private HelperProcess() {}

    public static void main(String[] args) throws IOException {
        Path socket = Path.of(args[0]);
        long delayNanos = Long.parseLong(args[1]) * 1_000_000L;
        DocumentRoot root = new DocumentRoot(Path.of(args[2]));
        SimulatedDisk emulated = new SimulatedDisk(0, Duration.ofNanos(Long.parseLong(args[3])),
                args[4].equals("-") ? null : new DiskGate(Path.of(args[4])));
        try (SocketChannel loop = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            DataInputStream in = new DataInputStream(Channels.newInputStream(loop));
            ByteBuffer pid = ByteBuffer.allocate(8).putLong(ProcessHandle.current().pid()).flip();
            writeFully(loop, pid); // who we are: helpers connect in any order
            while (true) {
                long id;
                try {
                    id = in.readLong();
                } catch (EOFException e) {
                    return; // the loop has gone: so do we
                }
                byte kind = in.readByte();
                long misses = in.readLong();
                ByteBuffer reply = switch (kind) {
                    case Wire.TRANSLATE -> {
                        String target = Wire.readString(in);
                        if (misses > 0) {
                            emulated.waitFor(misses, "metadata " + target);
                        }
                        yield translate(root, id, target);
                    }
                    case Wire.LOAD -> {
                        long position = in.readLong();
                        long count = in.readLong();
                        String path = Wire.readString(in);
                        if (misses > 0) {
                            emulated.waitFor(misses, "data " + path);
                        }
                        if (delayNanos > 0) {
                            sleep(delayNanos); // --helper-delay-ms: a deliberately slow disk
                        }
                        load(path, position, count);
                        yield Wire.reply(id, new byte[0]);
                    }
                    default -> throw new IOException("unknown request kind " + kind + " from the loop");
                };
                writeFully(loop, reply);
            }
        }
    }

    private static ByteBuffer translate(DocumentRoot root, long id, String target) {
        try {
            return Wire.reply(id, Wire.encode(root.resolve(target)));
        } catch (HttpException e) {
            return Wire.reply(id, Wire.encode(e));
        }
    }

    private static void load(String path, long position, long count) {
        try (FileChannel file = FileChannel.open(Path.of(path), StandardOpenOption.READ)) {
            Residency.load(file, position, count);
        } catch (IOException e) {
            // The loop will read the file itself and meet the same error there.
            System.err.println("amped helper: cannot load " + path + ": " + e);
        }
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody interrupts a helper but its own shutdown
        }
    }

    private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
