package org.flashlab.grader.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a server's whole process tree costs right now, read from /proc: resident memory summed over
 * its processes (all of it, and split into the process's own memory, anonymous and shared, against
 * file pages it has mapped: see {@link #footprintKb} for why the split matters), threads, processes, memory mappings, and context switches (voluntary: it blocked; involuntary: the
 * scheduler took the CPU away). Linux only; elsewhere every field is -1.
 */
public record ProcTree(long rssKb, long anonKb, long fileKb, long threads, long processes, long voluntarySwitches,
                       long involuntarySwitches, long cpuTicks, long mappings, Map<String, Long> switchesByThread) {
    public static final ProcTree UNKNOWN = new ProcTree(-1, -1, -1, -1, -1, -1, -1, -1, -1, Map.of());

    /** Samples the process and all its descendants. */
    public static ProcTree sample(ProcessHandle root) {
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return UNKNOWN;
        }
        long rss = 0;
        long anon = 0;
        long file = 0;
        long threads = 0;
        long processes = 0;
        long voluntary = 0;
        long involuntary = 0;
        long ticks = 0;
        long mappings = 0;
        Map<String, Long> byThread = new HashMap<>();
        List<ProcessHandle> tree = Stream.concat(Stream.of(root), root.descendants()).toList();
        for (ProcessHandle p : tree) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss += number(line);
                    } else if (line.startsWith("RssAnon:") || line.startsWith("RssShmem:")) {
                        anon += number(line);
                    } else if (line.startsWith("RssFile:")) {
                        file += number(line);
                    } else if (line.startsWith("Threads:")) {
                        threads += number(line);
                    }
                }
                // A process's own status counts only its main thread's switches: add up every thread's.
                try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(p.pid()), "task"))) {
                    for (Path task : tasks.toList()) {
                        long mine = 0;
                        for (String line : readOrEmpty(task.resolve("status"))) {
                            if (line.startsWith("voluntary_ctxt_switches:")) {
                                voluntary += number(line);
                                mine += number(line);
                            } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                                involuntary += number(line);
                                mine += number(line);
                            }
                        }
                        byThread.put(p.pid() + "/" + task.getFileName(), mine);
                    }
                }
                // Fields 14 and 15 of /proc/PID/stat: user and system time in clock ticks.
                String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                // Each line of /proc/PID/maps is one mapping, counted against vm.max_map_count.
                try (Stream<String> maps = Files.lines(Path.of("/proc", Long.toString(p.pid()), "maps"))) {
                    mappings += maps.count();
                }
                processes++;
            } catch (IOException e) {
                // the process exited between listing and reading: it costs nothing any more
            }
        }
        return new ProcTree(rss, anon, file, threads, processes, voluntary, involuntary, ticks, mappings,
                Map.copyOf(byThread));
    }

    /**
     * The tree's own memory in KB: anonymous and shared-memory pages (heap, stacks, buffers), summed
     * over its processes, or -1 off Linux. Unlike {@link #rssKb} it leaves out file pages the server
     * has mapped: those are the page cache itself, which a memory budget counts separately.
     */
    public static long footprintKb(ProcessHandle root) {
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return -1;
        }
        long kb = 0;
        for (ProcessHandle p : Stream.concat(Stream.of(root), root.descendants()).toList()) {
            for (String line : readOrEmpty(Path.of("/proc", Long.toString(p.pid()), "status"))) {
                if (line.startsWith("RssAnon:") || line.startsWith("RssShmem:")) {
                    kb += number(line);
                }
            }
        }
        return kb;
    }

    /** A thread can end between listing and reading: it then has nothing more to count. */
    private static List<String> readOrEmpty(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long number(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /**
     * Context switches per second between two samples {@code seconds} apart, thread by thread: a
     * thread that ended in between takes its count with it, so totals alone could even go down.
     */
    public long switchesPerSecondSince(ProcTree earlier, double seconds) {
        if (voluntarySwitches < 0 || earlier.voluntarySwitches < 0) {
            return -1;
        }
        long delta = 0;
        for (Map.Entry<String, Long> thread : switchesByThread.entrySet()) {
            long now = thread.getValue();
            long before = earlier.switchesByThread.getOrDefault(thread.getKey(), 0L);
            // Fewer switches than before: the thread ended and the kernel gave its id to a new one
            // (a thread-per-connection server does this all the time). Count the new thread's own.
            delta += now >= before ? now - before : now;
        }
        return Math.round(delta / seconds);
    }
}
