package org.flashlab.server;

import java.io.IOException;

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
        Thread.ofPlatform().daemon().name("parent-watch").start(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent never writes; anything read is ignored
                }
            } catch (IOException e) {
                // stdin broke: the parent is gone as surely as with end-of-file
            }
            Runtime.getRuntime().halt(0); // no shutdown hooks: the parent is gone, nobody waits for them
        });
    }
}
