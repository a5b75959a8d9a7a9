package org.flashlab.grader.grading;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Every process a grading step starts carries a tag in its environment, and children inherit their
 * parent's environment: so the grader finds all of a submission's processes, however they were
 * forked and whoever adopted them after their parent died, by reading /proc/PID/environ. After each
 * step, {@link #killAll} leaves none running. A server also starts under limits on descriptors and
 * processes (RLIMIT_NOFILE, RLIMIT_NPROC; the second binds only a user without root's
 * CAP_SYS_RESOURCE). Memory is not bounded: that would need a cgroup. A process that clears its
 * environment (env -i) loses the tag; a cgroup per step would catch it too, and is the next step.
 */
public final class Sandbox {
    /** The environment variable that carries the tag. */
    public static final String VARIABLE = "FLASHLAB_SANDBOX";
    /** Descriptors per process: room for the probe's and the load's connections. */
    static final int DESCRIPTORS = 65_536;
    /** Processes (per user, as the kernel counts them). */
    static final int PROCESSES = 4_096;

    private final String tag = UUID.randomUUID().toString();

    /** The tag, as {@code VARIABLE=tag}: for a ProcessBuilder's environment. */
    public String tag() {
        return tag;
    }

    /** {@code command}, run with the tag in its environment and under the limits. */
    public List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("bash", "-c",
                "ulimit -n " + DESCRIPTORS + " 2>/dev/null; ulimit -u " + PROCESSES + " 2>/dev/null; exec \"$@\"",
                "flashlab-sandbox", "env", VARIABLE + "=" + tag));
        wrapped.addAll(command);
        return wrapped;
    }

    /** The limits, in words, for the report: what the OS enforced here. */
    public static String limits() {
        boolean root = "root".equals(System.getProperty("user.name"));
        return String.format(Locale.ROOT, "%d descriptors per process; %s", DESCRIPTORS,
                root ? "no bound on processes (the grader runs as root, which RLIMIT_NPROC does not bind)"
                        : PROCESSES + " processes");
    }

    /** The processes alive now that carry the tag. */
    public List<ProcessHandle> members() {
        List<ProcessHandle> found = new ArrayList<>();
        byte[] needle = (VARIABLE + "=" + tag).getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                byte[] env;
                try {
                    env = Files.readAllBytes(p.resolve("environ"));
                } catch (IOException | SecurityException e) {
                    continue; // gone meanwhile, or another user's: not ours either way
                }
                if (contains(env, needle)) {
                    ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(found::add);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list /proc to find the submission's processes", e);
        }
        return found;
    }

    /**
     * Kills every tagged process and waits for them to go.
     *
     * @return each one that was still running, as "pid N: command line"
     */
    public List<String> killAll() {
        List<String> killed = new ArrayList<>();
        // A bounded number of rounds: a process forking as fast as it is killed is caught by the next.
        for (int round = 0; round < 20; round++) {
            List<ProcessHandle> alive = members();
            if (alive.isEmpty()) {
                break;
            }
            for (ProcessHandle p : alive) {
                if (killed.size() < 50) {
                    killed.add(describe(p));
                }
                p.destroyForcibly();
            }
            for (ProcessHandle p : alive) {
                try {
                    p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    // the next round finds it again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return killed;
                }
            }
        }
        return killed;
    }

    /** "pid N: its command line", cut to a readable length. */
    static String describe(ProcessHandle p) {
        String cmd;
        try {
            cmd = new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ').strip()
                    // A JVM's class path is long and says little: its main class and arguments say who it is.
                    .replaceAll("(-cp|-classpath|--class-path) \\S+", "$1 ...");
        } catch (IOException e) {
            cmd = p.info().commandLine().orElse("?");
        }
        if (cmd.length() > 160) {
            cmd = cmd.substring(0, 157) + "...";
        }
        return "pid " + p.pid() + ": " + cmd;
    }

    /** Waits up to {@code limit} for every tagged process to exit by itself; returns those still running. */
    public List<ProcessHandle> awaitExit(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        List<ProcessHandle> alive = members();
        for (ProcessHandle p : alive) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                p.onExit().get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return members();
    }

    private static boolean contains(byte[] env, byte[] needle) {
        // Entries are NUL-separated: match a whole entry.
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start == needle.length && java.util.Arrays.equals(env, start, i, needle, 0, needle.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }
}
