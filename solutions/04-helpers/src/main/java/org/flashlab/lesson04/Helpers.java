package org.flashlab.lesson04;

import java.io.IOException;
import java.util.function.Consumer;

import org.flashlab.files.StaticFileHandler.Translation;
import org.flashlab.http.Response;

/**
 * What an event loop hands off so that it never waits for the disk: the one part in which SPED,
 * AMTED and AMPED differ. The loop calls every method on its own thread, and none of them may block:
 * each hands the work to a helper and returns, and the helper's answer comes back later as one more
 * event for the loop, which then runs {@code done} on the loop thread.
 */
public interface Helpers extends AutoCloseable {

    /** SPED's: no helpers. The loop translates and reads for itself, and waits when the disk does. */
    Helpers NONE = new Helpers() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public void translate(String target, Consumer<Translation> done) {
            throw new IllegalStateException("SPED has no helpers");
        }

        @Override
        public void fetch(Response response, Runnable done) {
            throw new IllegalStateException("SPED has no helpers");
        }
    };

    /**
     * Starts the helpers, and registers with the server's selector whatever they report back on.
     * Called by {@link EventServer#start} before the loop thread exists.
     */
    default void attach(EventServer server) throws IOException {}

    /** True when a helper can take work now; false sends the loop back to doing it itself, as SPED. */
    boolean available();

    /**
     * Has a helper translate {@code target} to a file (the directory lookups and stats that may wait
     * for the disk), then runs {@code done} on the loop thread with the result, or with null when the
     * helper could not (it died): the loop then translates for itself.
     */
    void translate(String target, Consumer<Translation> done);

    /** Has a helper bring the response's file bytes into memory, then runs {@code done} on the loop thread. */
    void fetch(Response response, Runnable done);

    @Override
    default void close() {}
}
