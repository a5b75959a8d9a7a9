package org.flashlab.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A server's threads and processes as /proc shows them, with the JVM's own threads left out. Linux
 * only; elsewhere the conformance checks that need it are skipped with a reason.
 */
public final class ProcessView {
    /**
     * Threads every JVM starts or may start on its own, under load or not: compilers, collectors,
     * housekeeping. Prefixes, and short enough to match /proc's 15-character names. The main thread
     * shows as "java" there.
     */
    static final List<String> JVM_THREADS = List.of("java", "main", "DestroyJavaVM", "C1 CompilerThre", "C2 CompilerThre",
            "C1 CompilerThread", "C2 CompilerThread", "GC Thread", "GC Thr", "G1 ", "VM ", "Reference Handl", "Finalizer",
            "Signal Dispatch", "Service Thread", "Monitor Deflati", "Common-Cleaner", "Notification Th", "Attach Listener",
            "process reaper", "Sweeper thread", "JFR", "VirtualThread-un", "Read-Poller", "Write-Poller",
            "InnocuousThread", "Thread Ptr", "Timer-", "CodeCacheSweepe", "Periodic GC", "Keep-Alive");

    private ProcessView() {}

    public static boolean available() {
        return Files.isDirectory(Path.of("/proc/self/task"));
    }

    /** True for a thread the JVM runs on its own, whatever the server does. */
    public static boolean isJvmThread(String name) {
        return JVM_THREADS.stream().anyMatch(name::startsWith);
    }

    /** The names of a process's threads that are not the JVM's own (from /proc/PID/task/TID/comm). */
    public static List<String> servingThreads(long pid) {
        List<String> names = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (!isJvmThread(name)) {
                        names.add(name);
                    }
                } catch (IOException e) {
                    // the thread ended between the listing and the read: it serves no one now
                }
            }
        } catch (IOException e) {
            return List.of(); // the process is gone
        }
        return names;
    }
}
