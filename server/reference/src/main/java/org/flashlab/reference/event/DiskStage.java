package org.flashlab.reference.event;

import org.flashlab.http.Response;

/**
 * What an event loop does about the disk before it sends a response: the one place where SPED,
 * AMTED and AMPED differ.
 *
 * <ul>
 *   <li>SPED: nothing. The loop sends at once and blocks whenever the file is not in memory.</li>
 *   <li>AMTED/AMPED: check residency (mincore, through MappedBody.isLoaded); if the pages are
 *       not all in memory, a helper thread or process faults them in while the loop serves others.</li>
 * </ul>
 * Called on the loop thread only.
 */
public interface DiskStage extends AutoCloseable {

    /** SPED's stage: always send now. */
    DiskStage NONE = new DiskStage() {
        @Override
        public boolean needsHelper(Response response) {
            return false;
        }

        @Override
        public void fetch(Response response, Runnable done) {
            throw new IllegalStateException("SPED has no helpers");
        }
    };

    /** True when sending {@code response} now might block on the disk. Must not block itself. */
    boolean needsHelper(Response response);

    /**
     * Has a helper bring the response's bytes into memory, then runs {@code done} on the loop
     * thread. Must not block the caller.
     */
    void fetch(Response response, Runnable done);

    /**
     * Binds the stage to its loop and starts its helpers. Runs in {@link EventLoop#start}, before the
     * loop thread exists, so it may register channels with {@link EventLoop#watch}.
     */
    default void attach(EventLoop loop) throws java.io.IOException {}

    @Override
    default void close() {}
}
