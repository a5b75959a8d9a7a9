package org.flashlab.contract;

/**
 * The architecture a server claims to be, in numbers that {@link ArchitectureConformance} can check
 * from outside: how many threads serve in its own process, whether that grows with connections,
 * how many processes it starts, and whether its loop keeps serving while the disk is busy.
 *
 * Threads are counted by name, leaving out the JVM's own (compiler, GC and the like, which come
 * and go under load) and the suite's clients.
 *
 * @param name                  what the server says it is ("SPED"), for messages
 * @param maxThreads            most serving threads in the server's own process, or 0 for no cap
 * @param growsWithConnections  true when each connection has a thread of its own
 * @param workerProcesses       exactly this many child processes serve connections (MP); 0 for none
 * @param maxHelperProcesses    at most this many child processes help with the disk (AMPED)
 * @param concurrent            one connection cannot hold up another (false for iterative and MP,
 *                              whose lesson is exactly that it can)
 * @param loopNeverWaitsForDisk the serving thread hands every disk wait (a file's bytes, a path's
 *                              lookup) to a helper (AMTED, AMPED)
 */
public record Shape(String name, int maxThreads, boolean growsWithConnections, int workerProcesses,
                    int maxHelperProcesses, boolean concurrent, boolean loopNeverWaitsForDisk) {

    /** One thread, one connection at a time. */
    public static Shape iterative() {
        return new Shape("an iterative server", 1, false, 0, 0, false, false);
    }

    /** SPED: one event-loop thread for every connection. */
    public static Shape eventLoop() {
        return new Shape("SPED (one event loop)", 1, false, 0, 0, true, false);
    }

    /** Several event loops in one process, plus {@code others} threads that feed them (an acceptor). */
    public static Shape eventLoops(int loops, int others) {
        return new Shape(loops + " event loops in one process", loops + others, false, 0, 0, true, false);
    }

    /** AMTED: one event loop and a fixed number of helper threads for the disk. */
    public static Shape eventLoopWithHelperThreads(int helpers) {
        return new Shape("AMTED (an event loop and " + helpers + " helper threads)", 1 + helpers, false, 0, 0, true, true);
    }

    /** AMPED: one event loop, and helper processes for the disk. */
    public static Shape eventLoopWithHelperProcesses(int helpers) {
        return new Shape("AMPED (an event loop and up to " + helpers + " helper processes)", 1, false, 0, helpers, true, true);
    }

    /** A new thread for each connection, and whatever accepts them. */
    public static Shape threadPerConnection() {
        return new Shape("a thread per connection", 0, true, 0, 0, true, false);
    }

    /** A pool of at most {@code maxThreads} threads, everything the process runs included. */
    public static Shape threadPool(int maxThreads) {
        return new Shape("a pool of at most " + maxThreads + " threads", maxThreads, false, 0, 0, true, false);
    }

    /** Virtual threads: a virtual thread per connection on a few platform carriers. */
    public static Shape virtualThreads(int maxPlatformThreads) {
        return new Shape("virtual threads on at most " + maxPlatformThreads + " platform threads", maxPlatformThreads,
                false, 0, 0, true, false);
    }

    /**
     * {@code workers} processes sharing the port. {@code concurrent} says whether each worker serves
     * many connections (N-SPED, a hybrid of processes and threads) or one at a time (MP).
     */
    public static Shape processes(int workers, boolean concurrent) {
        return new Shape(workers + (concurrent ? " concurrent" : " single-connection") + " worker processes",
                0, false, workers, 0, concurrent, false);
    }

    /** The same claim, under another name (a lesson's, or a broken server's in the suite's tests). */
    public Shape named(String newName) {
        return new Shape(newName, maxThreads, growsWithConnections, workerProcesses, maxHelperProcesses, concurrent,
                loopNeverWaitsForDisk);
    }
}
