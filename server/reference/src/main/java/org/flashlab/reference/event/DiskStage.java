package org.flashlab.reference.event;

import java.util.function.Consumer;

import org.flashlab.files.StaticFileHandler.Translation;
import org.flashlab.http.Response;

/**
 * What an event loop does about the disk before it sends a response: the one place where SPED,
 * AMTED and AMPED differ.
 *
 * <ul>
 *   <li>SPED: nothing. The loop translates the path and sends at once, and blocks whenever a
 *       directory, an inode or the file's pages are not in memory.</li>
 *   <li>AMTED/AMPED: on a pathname-cache miss, a helper translates the path (the lookups and stats
 *       that warm the kernel's metadata caches) while the loop serves others; the loop then opens
 *       the file, which no longer waits. Before sending, the loop checks residency (mincore,
 *       through MappedBody.isLoaded); if the pages are not all in memory, a helper faults them in.</li>
 * </ul>
 * Called on the loop thread only.
 */
public interface DiskStage extends AutoCloseable {

    /** SPED's stage: always send now. */
    DiskStage NONE = new DiskStage() {
        @Override
        public boolean needsTranslation(String target) {
            return false;
        }

        @Override
        public void translate(String target, Consumer<Translation> done) {
            throw new IllegalStateException("SPED has no helpers");
        }

        @Override
        public boolean needsHelper(Response response) {
            return false;
        }

        @Override
        public void fetch(Response response, Runnable done) {
            throw new IllegalStateException("SPED has no helpers");
        }
    };

    /**
     * Called for a target that is not in the pathname cache (so translating it may block on the
     * disk): true to give it to a helper, false to translate it on the loop. Must not block.
     */
    boolean needsTranslation(String target);

    /**
     * Has a helper translate {@code target} (caching the result in the loop's pathname cache), then
     * runs {@code done} on the loop thread with it. Must not block the caller.
     */
    void translate(String target, Consumer<Translation> done);

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
