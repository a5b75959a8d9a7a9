package org.flashlab.grader.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Time a process tree spent ready to run but waiting for a CPU: the second field of every
 * /proc/PID/task/TID/schedstat, summed. Its growth during a run is time other programs held the
 * tree's cores. On a virtual machine shared with the host's agents that can be milliseconds at a
 * time: an open loop charges such a stall to every request due during it (that is its job), while a
 * closed loop charges one request per connection and hides it. Reading it tells a machine's noise
 * from a slow server or a slow generator.
 */
public final class RunQueue {
    private RunQueue() {}

    /** Nanoseconds the tree's threads have waited for a CPU so far, or -1 where the kernel does not say. */
    public static long waitNanos(ProcessHandle root) {
        if (!Files.isReadable(Path.of("/proc/self/schedstat"))) {
            return -1;
        }
        long nanos = 0;
        for (ProcessHandle p : Stream.concat(Stream.of(root), root.descendants()).toList()) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(p.pid()), "task"))) {
                for (Path task : tasks.toList()) {
                    for (String line : readOrEmpty(task.resolve("schedstat"))) {
                        nanos += Long.parseLong(line.trim().split(" ")[1]);
                    }
                }
            } catch (IOException e) {
                // the process exited between listing and reading: it waits no more
            }
        }
        return nanos;
    }

    /** A thread can end between listing and reading: it then has nothing more to count. */
    private static List<String> readOrEmpty(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
