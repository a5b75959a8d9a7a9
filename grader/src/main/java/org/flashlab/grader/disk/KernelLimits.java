package org.flashlab.grader.disk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Disk-bound conditions enforced by the kernel rather than by the client: the server's whole process
 * tree runs in a control group whose memory limit counts its page cache, and optionally with a
 * block-I/O throttle on the disk that holds the dataset. The client then does no eviction work at
 * all, and what the server cannot keep in memory it must read again from a slow disk, as on the
 * paper's 128 MB machine.
 *
 * <p>Works with cgroup v1 (the memory and blkio hierarchies) and v2 (memory.max and io.max), as root.
 * {@link #probe} says in one line why it cannot be used here; callers must say so, never fall back
 * silently. The server joins the groups before it starts ({@link #wrap}), so every process and
 * thread it makes is inside them.
 */
public final class KernelLimits implements AutoCloseable {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** Which cgroup interface the machine has. */
    public enum Version { V1, V2 }

    /** A read throttle for one block device, in bytes and operations per second (0: no limit). */
    public record Throttle(String device, long readBytesPerSecond, long readIops) {
        public boolean any() {
            return readBytesPerSecond > 0 || readIops > 0;
        }
    }

    /** Whether limits can be applied here: the version, or the reason in one line. */
    public record Probe(Version version, String unusable) {
        public boolean usable() {
            return unusable == null;
        }
    }

    private final Version version;
    private final List<Path> groups; // the groups the server joins; removed on close
    private final Path memoryGroup;
    private final long memoryBytes;

    private KernelLimits(Version version, List<Path> groups, Path memoryGroup, long memoryBytes) {
        this.version = version;
        this.groups = groups;
        this.memoryGroup = memoryGroup;
        this.memoryBytes = memoryBytes;
    }

    /** Can this machine, and this user, limit a process tree's memory (and throttle a disk)? */
    public static Probe probe() {
        if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
            return new Probe(null, "cgroups are Linux's, and this is " + System.getProperty("os.name"));
        }
        Version v;
        if (Files.isRegularFile(ROOT.resolve("cgroup.controllers"))) {
            v = Version.V2;
            String controllers = readOrEmpty(ROOT.resolve("cgroup.controllers"));
            if (!controllers.contains("memory")) {
                return new Probe(v, "cgroup v2 without the memory controller");
            }
        } else if (Files.isRegularFile(ROOT.resolve("memory/memory.limit_in_bytes"))) {
            v = Version.V1;
        } else {
            return new Probe(null, "no cgroup memory controller is mounted under " + ROOT);
        }
        Path parent = v == Version.V1 ? ROOT.resolve("memory") : ROOT;
        if (!Files.isWritable(parent)) {
            return new Probe(v, "cgroups need root (" + parent + " is not writable by this user)");
        }
        return new Probe(v, null);
    }

    /**
     * The whole-disk device ("MAJ:MIN") that holds {@code path}, or a one-line reason why there is
     * none a throttle could slow (tmpfs, overlay and other virtual filesystems have no disk).
     */
    public static String deviceOf(Path path) throws IOException {
        Path real = path.toRealPath();
        String best = null;
        int bestLength = -1;
        String fsType = null;
        // /proc/self/mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS ... - FSTYPE SOURCE ..."
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            String mountPoint = f[4].replace("\\040", " ");
            if (real.startsWith(mountPoint) && mountPoint.length() > bestLength) {
                bestLength = mountPoint.length();
                best = f[2];
                int dash = line.indexOf(" - ");
                fsType = dash >= 0 ? line.substring(dash + 3).split(" ")[0] : "?";
            }
        }
        if (best == null || best.startsWith("0:")) {
            throw new IOException(real + " is on " + (fsType == null ? "no block device" : fsType)
                    + ", which has no disk to throttle: generate the dataset on a disk (--dir DIR)");
        }
        // A partition cannot be throttled on its own: the limit belongs to its whole disk.
        Path sys = Path.of("/sys/dev/block", best);
        if (Files.exists(sys.resolve("partition"))) {
            String disk = readOrEmpty(sys.toRealPath().getParent().resolve("dev")).trim();
            if (!disk.isEmpty()) {
                return disk;
            }
        }
        return best;
    }

    /** Makes the groups: a memory limit that counts page cache, and the throttle if it has any limit. */
    public static KernelLimits create(long memoryBytes, Throttle throttle) throws IOException {
        Probe probe = probe();
        if (!probe.usable()) {
            throw new IOException(probe.unusable());
        }
        String name = "flashlab-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        List<Path> groups = new ArrayList<>();
        try {
            if (probe.version() == Version.V1) {
                Path memory = Files.createDirectory(ROOT.resolve("memory").resolve(name));
                groups.add(memory);
                write(memory.resolve("memory.limit_in_bytes"), Long.toString(memoryBytes));
                if (throttle != null && throttle.any()) {
                    if (!Files.isRegularFile(ROOT.resolve("blkio/blkio.throttle.read_bps_device"))) {
                        throw new IOException("no cgroup v1 blkio controller is mounted under " + ROOT
                                + ", so the disk cannot be throttled");
                    }
                    Path blkio = Files.createDirectory(ROOT.resolve("blkio").resolve(name));
                    groups.add(blkio);
                    if (throttle.readBytesPerSecond() > 0) {
                        write(blkio.resolve("blkio.throttle.read_bps_device"),
                                throttle.device() + " " + throttle.readBytesPerSecond());
                    }
                    if (throttle.readIops() > 0) {
                        write(blkio.resolve("blkio.throttle.read_iops_device"), throttle.device() + " " + throttle.readIops());
                    }
                }
                return new KernelLimits(Version.V1, groups, memory, memoryBytes);
            }
            if (throttle != null && throttle.any() && !readOrEmpty(ROOT.resolve("cgroup.controllers")).contains("io")) {
                throw new IOException("cgroup v2 without the io controller, so the disk cannot be throttled");
            }
            write(ROOT.resolve("cgroup.subtree_control"), throttle != null && throttle.any() ? "+memory +io" : "+memory");
            Path group = Files.createDirectory(ROOT.resolve(name));
            groups.add(group);
            write(group.resolve("memory.max"), Long.toString(memoryBytes));
            write(group.resolve("memory.swap.max"), "0", true);
            if (throttle != null && throttle.any()) {
                write(group.resolve("io.max"), throttle.device()
                        + (throttle.readBytesPerSecond() > 0 ? " rbps=" + throttle.readBytesPerSecond() : "")
                        + (throttle.readIops() > 0 ? " riops=" + throttle.readIops() : ""));
            }
            return new KernelLimits(Version.V2, groups, group, memoryBytes);
        } catch (IOException | RuntimeException e) {
            for (Path g : groups.reversed()) {
                deleteQuietly(g, e);
            }
            throw e;
        }
    }

    /**
     * The command line that joins the groups, then becomes {@code argv}: a shell writes its own pid
     * into each group's process list and execs the server, which with every child it starts is then
     * inside the limits from its first instruction.
     */
    public List<String> wrap(List<String> argv) {
        StringBuilder script = new StringBuilder();
        for (Path g : groups) {
            script.append("echo $$ > '").append(g.resolve("cgroup.procs")).append("' || exit 125; ");
        }
        script.append("exec \"$@\"");
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", script.toString(), "flashlab-limits"));
        wrapped.addAll(argv);
        return wrapped;
    }

    /** The memory limit, in bytes. */
    public long memoryBytes() {
        return memoryBytes;
    }

    /** The most memory the group has used (its processes plus its page cache), or -1 if unknown. */
    public long peakBytes() {
        Path peak = memoryGroup.resolve(version == Version.V1 ? "memory.max_usage_in_bytes" : "memory.peak");
        String v = readOrEmpty(peak).trim();
        return v.isEmpty() ? -1 : Long.parseLong(v);
    }

    /** Starts the peak over (v1 only; v2's memory.peak counts from the group's creation). */
    public void resetPeak() {
        if (version == Version.V1) {
            try {
                Files.writeString(memoryGroup.resolve("memory.max_usage_in_bytes"), "0");
            } catch (IOException e) {
                // an older kernel without the reset: the peak then spans every repetition so far
            }
        }
    }

    /** Times the kernel had to reclaim or refuse memory at the limit (v1 failcnt, v2 "max" events), or -1. */
    public long limitHits() {
        if (version == Version.V1) {
            String v = readOrEmpty(memoryGroup.resolve("memory.failcnt")).trim();
            return v.isEmpty() ? -1 : Long.parseLong(v);
        }
        for (String line : readOrEmpty(memoryGroup.resolve("memory.events")).split("\n")) {
            if (line.startsWith("max ")) {
                return Long.parseLong(line.substring(4).trim());
            }
        }
        return -1;
    }

    /** One line for the run's header. */
    public String describe(Throttle throttle) {
        String s = String.format(Locale.ROOT, "kernel limits (cgroup %s): memory %d MB including page cache",
                version == Version.V1 ? "v1" : "v2", memoryBytes / (1024 * 1024));
        if (throttle != null && throttle.any()) {
            s += ", disk " + throttle.device() + " reads"
                    + (throttle.readBytesPerSecond() > 0
                            ? String.format(Locale.ROOT, " at %.1f MB/s", throttle.readBytesPerSecond() / 1048576.0) : "")
                    + (throttle.readIops() > 0 ? " and " + throttle.readIops() + " IOPS" : "");
        }
        return s;
    }

    /** Removes the groups. The server must have exited: a group with processes in it cannot go. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Path g : groups.reversed()) {
            try {
                Files.deleteIfExists(g); // rmdir: the kernel removes the group's files with it
            } catch (IOException e) {
                if (first == null) {
                    first = new IOException("could not remove the cgroup " + g + " (is the server still running?)", e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void write(Path file, String value) throws IOException {
        write(file, value, false);
    }

    /** Writes a control file; {@code optional} ones may be missing (memory.swap.max without swap). */
    private static void write(Path file, String value, boolean optional) throws IOException {
        if (optional && !Files.exists(file)) {
            return;
        }
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new IOException("cannot write '" + value + "' to " + file + ": " + e.getMessage(), e);
        }
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path group, Exception cause) {
        try {
            Files.deleteIfExists(group);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
