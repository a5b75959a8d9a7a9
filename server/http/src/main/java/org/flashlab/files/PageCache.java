package org.flashlab.files;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The operating system's page cache, seen from Java: how much of a file is in memory, and a way to
 * push it out so the next read goes to the disk. Experiments use it to make a workload disk-bound on
 * demand; tests use it to show that AMTED and AMPED send cold files through their helpers.
 *
 * Eviction is posix_fadvise(POSIX_FADV_DONTNEED) called through the Foreign Function & Memory API
 * (JDK 22). The kernel drops only clean pages that no process has mapped, so the file is synced
 * first, and a file that a server holds in its mapped-file cache stays resident. It is a request,
 * not a command; on tmpfs it does nothing at all, because there the page cache is the storage.
 * Linux only; elsewhere {@link #evict} throws UnsupportedOperationException.
 */
@SuppressWarnings("restricted") // native calls are the point; the launcher passes --enable-native-access
public final class PageCache {
    private static final int O_RDONLY = 0;
    private static final int POSIX_FADV_DONTNEED = 4; // Linux, all architectures
    private static final long PAGE = pageSizeOfThisMachine(); // 4 KB on x86-64; 4, 16 or 64 KB on AArch64

    private static final MethodHandle OPEN;
    private static final MethodHandle CLOSE;
    private static final MethodHandle FADVISE;
    private static final MethodHandle MINCORE;
    private static final MethodHandle SYNCFS;
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final int PROT_READ = 1;
    private static final int MAP_SHARED = 1;

    static {
        MethodHandle open = null;
        MethodHandle close = null;
        MethodHandle fadvise = null;
        MethodHandle mincore = null;
        MethodHandle syncfs = null;
        MethodHandle mmap = null;
        MethodHandle munmap = null;
        if (System.getProperty("os.name", "").startsWith("Linux")) {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            // open(2) is variadic: the mode argument is declared as the first variadic one.
            open = linker.downcallHandle(libc.find("open").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
            close = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            fadvise = linker.downcallHandle(libc.find("posix_fadvise").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
            mincore = linker.downcallHandle(libc.find("mincore").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
            syncfs = linker.downcallHandle(libc.find("syncfs").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
            munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        }
        MMAP = mmap;
        MUNMAP = munmap;
        SYNCFS = syncfs;
        MINCORE = mincore;
        OPEN = open;
        CLOSE = close;
        FADVISE = fadvise;
    }

    private PageCache() {}

    /** The kernel's page size: mincore answers a byte per page. */
    public static long pageSize() {
        return PAGE;
    }

    private static long pageSizeOfThisMachine() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return 4096;
        }
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle sysconf = linker.downcallHandle(linker.defaultLookup().find("sysconf").orElseThrow(),
                    FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
            long size = (long) sysconf.invokeExact(30 /* _SC_PAGESIZE on Linux */);
            return size > 0 ? size : 4096;
        } catch (Throwable t) {
            return 4096; // no sysconf: the common size, and a wrong count is only a wrong measurement
        }
    }

    /** True where {@link #evict} works (Linux). */
    public static boolean evictionSupported() {
        return FADVISE != null;
    }

    /** Asks the kernel to drop the file's pages from memory, writing out unsaved changes first. */
    public static void evict(Path file) throws IOException {
        evict(file, true);
    }

    /**
     * Asks the kernel to drop the file's clean pages. With {@code writeBackFirst} the file is synced
     * before, since dirty pages are not dropped; a loop that evicts the same unchanging files again
     * and again passes false (after one {@link #syncFileSystem}), because a sync can cost a disk flush per file.
     */
    public static void evict(Path file, boolean writeBackFirst) throws IOException {
        if (!evictionSupported()) {
            throw new UnsupportedOperationException("page-cache eviction needs Linux's posix_fadvise");
        }
        if (writeBackFirst) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                channel.force(false);
            }
        }
        onDescriptor(file, fd -> {
            int error = (int) FADVISE.invokeExact(fd, 0L, 0L, POSIX_FADV_DONTNEED);
            if (error != 0) {
                throw new IOException("posix_fadvise(" + file + ") failed with errno " + error);
            }
        });
    }

    /** True where {@link #mapReadOnly} and {@link #unmap} work (Linux). */
    public static boolean mappingSupported() {
        return MMAP != null;
    }

    /**
     * Maps the first {@code size} bytes of a file read-only with mmap(2), as Flash did, and returns
     * the mapping as a segment that nothing unmaps but {@link #unmap}. Unlike a mapping in a shared
     * {@link Arena}, unmapping it costs one munmap(2) and no pause of every thread; the price is that
     * the caller must know when the last reader is done (the mapped-file cache counts them): reading
     * it after {@link #unmap} crashes the JVM.
     */
    public static MemorySegment mapReadOnly(Path file, long size) throws IOException {
        if (MMAP == null) {
            throw new UnsupportedOperationException("mmap through FFM needs Linux");
        }
        if (size <= 0) {
            throw new IllegalArgumentException("mmap needs a positive length, not " + size);
        }
        MemorySegment[] mapped = new MemorySegment[1];
        onDescriptor(file, fd -> {
            MemorySegment address = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, size, PROT_READ, MAP_SHARED, fd, 0L);
            if (address.address() == -1L) { // MAP_FAILED
                throw new IOException("mmap(" + file + ", " + size + " bytes) failed (at vm.max_map_count, or out of memory?)");
            }
            mapped[0] = address.reinterpret(size);
        });
        return mapped[0]; // the descriptor is closed: the mapping keeps the file open by itself
    }

    /** Unmaps a segment from {@link #mapReadOnly}. Nothing may read it afterwards. */
    public static void unmap(MemorySegment mapping) {
        try {
            if ((int) MUNMAP.invokeExact(mapping, mapping.byteSize()) != 0) {
                throw new IllegalStateException("munmap failed on a mapping of " + mapping.byteSize() + " bytes");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native call munmap failed", t);
        }
    }

    /** True when every page of a mapping is in memory now (mincore(2)): sending it reads no disk. */
    public static boolean allResident(MemorySegment mapping) throws IOException {
        return residentBytes(mapping) >= mapping.byteSize();
    }

    /** A native call on an open file descriptor. */
    private interface DescriptorCall {
        void on(int fd) throws Throwable;
    }

    /** Opens the file read-only with open(2), makes the call, and closes it whatever happened. */
    private static void onDescriptor(Path file, DescriptorCall call) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(arena.allocateFrom(file.toString()), O_RDONLY, 0);
            if (fd < 0) {
                throw new IOException("open(" + file + ") failed");
            }
            try {
                call.on(fd);
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("native call failed for " + file, t);
        }
    }

    /**
     * The fraction of the file's pages now in memory, from 0 to 1 (1 for an empty file). It maps the
     * file and asks mincore(2) page by page; it never reads the file, so it never changes the answer.
     */
    public static double residentFraction(Path file) throws IOException {
        // The mappings live in an arena closed on return: unmapped now, not whenever the GC runs.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            long size = channel.size();
            if (size == 0) {
                return 1.0;
            }
            long pages = 0;
            long resident = 0;
            for (long offset = 0; offset < size; offset += Integer.MAX_VALUE & ~(PAGE - 1)) {
                long length = Math.min(size - offset, Integer.MAX_VALUE & ~(PAGE - 1));
                MemorySegment map = channel.map(FileChannel.MapMode.READ_ONLY, offset, length, arena);
                for (long page = 0; page < length; page += PAGE) {
                    pages++;
                    if (map.asSlice(page, Math.min(PAGE, length - page)).isLoaded()) {
                        resident++;
                    }
                }
            }
            return (double) resident / pages;
        }
    }

    /**
     * Writes out every unsaved page of the filesystem that holds {@code anyFile}, in one syncfs(2)
     * call: a freshly generated dataset of thousands of files is then evictable at once, without a
     * sync per file (each of which can cost a journal commit).
     */
    public static void syncFileSystem(Path anyFile) throws IOException {
        if (SYNCFS == null) {
            throw new UnsupportedOperationException("syncfs needs Linux");
        }
        onDescriptor(anyFile, fd -> {
            if ((int) SYNCFS.invokeExact(fd) != 0) {
                throw new IOException("syncfs(" + anyFile + ") failed");
            }
        });
    }

    /**
     * How many of the file's bytes are in memory now (whole pages, capped at the file's size). One
     * mmap and one mincore(2) call for the whole file, so a memory budget can watch a dataset of
     * thousands of files several times a second. Like {@link #residentFraction}, it never reads the file.
     */
    public static long residentBytes(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                return 0;
            }
            if (MINCORE == null) {
                return Math.round(residentFraction(file) * size); // not Linux: the page-by-page way
            }
            try (Arena arena = Arena.ofConfined()) {
                return residentBytes(channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena));
            }
        }
    }

    /**
     * How many bytes of a file mapping are in memory (whole pages, capped at the mapping's size).
     * Mapping a file faults nothing in, and mincore(2) reads nothing, so a caller may keep mappings
     * of a whole dataset and ask again and again at the cost of one system call each.
     */
    public static long residentBytes(MemorySegment mapping) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            return residentBytes(mapping, arena.allocate(Math.max(1, (mapping.byteSize() + PAGE - 1) / PAGE)));
        }
    }

    /**
     * As {@link #residentBytes(MemorySegment)}, with a caller's vector of at least a byte per page of
     * the mapping, so that a loop over a dataset allocates nothing per file.
     */
    public static long residentBytes(MemorySegment mapping, MemorySegment vector) throws IOException {
        if (MINCORE == null) {
            throw new UnsupportedOperationException("mincore through FFM needs Linux");
        }
        long size = mapping.byteSize();
        if (size == 0) {
            return 0;
        }
        long pages = (size + PAGE - 1) / PAGE;
        if (vector.byteSize() < pages) {
            throw new IllegalArgumentException("a vector of " + vector.byteSize() + " bytes for " + pages + " pages");
        }
        try {
            int rc = (int) MINCORE.invokeExact(mapping, size, vector);
            if (rc != 0) {
                throw new IOException("mincore failed on a mapping of " + size + " bytes");
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("native call mincore failed", t);
        }
        long resident = 0;
        for (long page = 0; page < pages; page++) {
            resident += vector.get(JAVA_BYTE, page) & 1; // the low bit: this page is resident
        }
        return Math.min(size, resident * PAGE);
    }
}
