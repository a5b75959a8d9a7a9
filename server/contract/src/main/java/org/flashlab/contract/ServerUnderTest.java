package org.flashlab.contract;

/**
 * A running server as the contract suite sees it: a port to talk to, a way to stop it, and a way to
 * check that stopping it released everything. Two adapters exist: {@link InProcessServer} for a
 * {@link org.flashlab.server.Server} in this JVM and {@link ServerProcess} for any command line.
 */
public interface ServerUnderTest extends AutoCloseable {

    /** The port the server listens on, on 127.0.0.1. */
    int port();

    /**
     * The names of the threads that serve in the server's own process, leaving out the JVM's own
     * ({@link ProcessView#isJvmThread}) and, for a server in this JVM, every thread that was there
     * before it started.
     */
    java.util.List<String> servingThreads();

    /** The processes the server has started (its workers, its helpers), alive now. */
    java.util.List<ProcessHandle> children();

    /** Stops the server. Idempotent. */
    @Override
    void close();

    /**
     * Waits (bounded) until everything the server started is gone: threads and file descriptors for
     * a server in this JVM, the whole process tree for a child process. Fails with a message naming
     * what is left. Precondition: close() was called.
     */
    void awaitReleased();
}
