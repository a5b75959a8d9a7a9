package org.flashlab.server;

import java.io.IOException;
import java.io.InputStream;

/**
 * How a child process notices that its parent is gone, however the parent died (even SIGKILL, which
 * runs no shutdown hook): the parent starts the child with stdin as a pipe that it never writes and
 * never closes. When the parent dies the kernel closes the pipe's write end, and the child reads
 * end-of-file. MP's workers and AMPED's helpers (the reference's and the lessons') use it, so that
 * no worker is ever orphaned.
 */
public final class ParentWatch {
    private ParentWatch() {}

    /**
     * In a child: starts a daemon thread that halts the JVM when stdin reaches end-of-file.
     * Precondition: the parent started this process with stdin as a pipe it keeps open
     * ({@code ProcessBuilder.Redirect.PIPE}, the default).
     */
    public static void exitWhenParentDies() {
        watch(System.in, () -> Runtime.getRuntime().halt(0)); // no shutdown hooks: nobody waits for them
    }

    /**
     * Starts a daemon thread that reads {@code in} to its end (or until it breaks) and then runs
     * {@code whenEnded}. Whatever is read is ignored: the parent never writes.
     */
    static Thread watch(InputStream in, Runnable whenEnded) {
        return Thread.ofPlatform().daemon().name("parent-watch").start(() -> {
            try {
                while (in.read() >= 0) {
                    // the parent never writes; anything read is ignored
                }
            } catch (IOException e) {
                // the pipe broke: the parent is gone as surely as with end-of-file
            }
            whenEnded.run();
        });
    }
}
