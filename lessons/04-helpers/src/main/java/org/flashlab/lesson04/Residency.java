package org.flashlab.lesson04;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;

import org.flashlab.files.MappedBody;
import org.flashlab.files.SimulatedDisk;
import org.flashlab.http.Response;

/**
 * Task 1: Flash's residency check, Java's mincore(2). Before the loop sends a file it asks the
 * kernel whether the file's pages are in memory. {@code isLoaded()} of a mapping asks without
 * touching a page, so it never waits; only a "no" costs a helper. It is a hint: a page can be evicted
 * right after the check, and then the loop waits once, as Flash's did.
 */
public final class Residency {
    private Residency() {}

    /**
     * True when sending {@code response} will not wait for the disk, as far as can be told now.
     *
     * @param disk the emulated disk the server reads through, or null for the real one
     */
    public static boolean resident(Response response, SimulatedDisk disk) throws IOException {
        // TODO Task 1: ask the emulated disk when there is one (disk.resident), else the kernel:
        // map the region and call isLoaded() (README, "Task 1").
        return true;
    }

    /** Faults a region of a file into memory, then unmaps it. Waits for the disk: helpers only. */
    public static void load(FileChannel file, long position, long count) throws IOException {
        // TODO Task 1: map the region in an Arena, load() it, and let the Arena unmap it.
        throw new UnsupportedOperationException("Task 1 is not done yet: Residency.load (README, \"Task 1\")");
    }
}
