package org.flashlab.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A gate on the emulated disk, for checks that must know, without a clock, whether a server waits
 * for the disk: while the gate's file exists, every miss waits at the gate. Each waiter first
 * appends one line to the file saying who waits and for what ("pid 812 thread amped-loop metadata
 * /www/cold.bin"), so a check (in another process, or another thread) sees that a read is held
 * before it sends its other requests; deleting the file releases every waiter.
 *
 * A file, not a lock, because AMPED's helpers are other processes and the conformance suite may be
 * another process too. Waiters look every millisecond; a gate left behind opens by itself after ten
 * minutes, so a forgotten file cannot hang a server for ever.
 */
public record DiskGate(Path file) {
    private static final long POLL_NANOS = 1_000_000L;
    private static final Duration LONGEST_HOLD = Duration.ofMinutes(10);

    /**
     * Waits while the gate is closed; returns at once when it is open. Interruption (a stopping
     * server) ends the wait and keeps the flag set.
     *
     * @param what the kind of read and the file, as written in the gate's file
     */
    public void pass(String what) {
        if (!Files.exists(file)) {
            return;
        }
        String line = "pid " + ProcessHandle.current().pid() + " thread " + Thread.currentThread().getName() + " " + what + "\n";
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (java.nio.file.NoSuchFileException e) {
            return; // opened between the look and the write
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sign the disk gate " + file, e);
        }
        long deadline = System.nanoTime() + LONGEST_HOLD.toNanos();
        while (Files.exists(file) && System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
