package org.flashlab.lesson04.amped;

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
import org.flashlab.lesson04.Residency;
import org.flashlab.server.ParentWatch;

/**
 * Task 3, the helper's side: one AMPED helper process, Flash's pathname-translation helper and read
 * helper in one. It connects to the loop's Unix-domain socket, says its pid, and then answers each
 * request in turn: translate a target to a file (the lookups warm the kernel's directory and inode
 * caches, which the loop's process shares), or fault a file region into the page cache (shared by
 * every process on the machine). It is single-threaded and blocks as much as it likes: blocking is
 * its whole job. It exits when the loop closes the socket, or when its parent dies.
 *
 * Arguments: the socket, the document root, and for an emulated disk the delay of one miss (ns)
 * and the gate's file ("-" for none). The emulated cache lives in the loop's process, which says in
 * each request how many misses it costs ({@link Wire}).
 */
public final class HelperProcess {
    private HelperProcess() {}

    public static void main(String[] args) throws IOException {
        ParentWatch.exitWhenParentDies();
        Path socket = Path.of(args[0]);
        DocumentRoot root = new DocumentRoot(Path.of(args[1]));
        SimulatedDisk emulated = new SimulatedDisk(0, Duration.ofNanos(Long.parseLong(args[2])),
                args[3].equals("-") ? null : new DiskGate(Path.of(args[3])));
        try (SocketChannel loop = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            writeFully(loop, ByteBuffer.allocate(8).putLong(ProcessHandle.current().pid()).flip());
            answerRequests(new DataInputStream(Channels.newInputStream(loop)), loop, root, emulated);
        }
    }

    /** Answers requests until the loop closes the socket. */
    static void answerRequests(DataInputStream in, SocketChannel out, DocumentRoot root, SimulatedDisk emulated) throws IOException {
        // BEGIN SOLUTION
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
                    try {
                        yield Wire.reply(id, Wire.encode(root.resolve(target)));
                    } catch (HttpException e) {
                        yield Wire.reply(id, Wire.encode(e));
                    }
                }
                case Wire.LOAD -> {
                    long position = in.readLong();
                    long count = in.readLong();
                    String path = Wire.readString(in);
                    if (misses > 0) {
                        emulated.waitFor(misses, "data " + path);
                    }
                    load(path, position, count);
                    yield Wire.reply(id, new byte[0]);
                }
                default -> throw new IOException("unknown request kind " + kind + " from the loop");
            };
            writeFully(out, reply);
        }
        // STARTER
        // // TODO Task 3: read each request (Wire's format), do it (root.resolve, or load), and write the
        // // reply; return at end of stream (README, "Task 3").
        // throw new UnsupportedOperationException("Task 3 is not done yet: HelperProcess.answerRequests (README, \"Task 3\")");
        // END SOLUTION
    }
    // BEGIN SOLUTION

    private static void load(String path, long position, long count) {
        try (FileChannel file = FileChannel.open(Path.of(path), StandardOpenOption.READ)) {
            Residency.load(file, position, count);
        } catch (IOException e) {
            // The loop sends the file itself and meets the same error there.
            System.err.println("amped helper: cannot load " + path + ": " + e);
        }
    }
    // END SOLUTION

    private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
