package org.flashlab.files;

import java.io.IOException;

/**
 * A response body that is a view of a cached file mapping ({@link org.flashlab.http.Response#lease}):
 * it stays mapped until every holder has closed its hold. AMTED and AMPED ask it whether sending would
 * touch the disk, and a helper thread that faults its pages in takes a hold of its own, so that a
 * connection closed meanwhile cannot unmap the pages under the helper.
 */
public interface MappedBody extends AutoCloseable {
    /** True when every page is in memory now (mincore(2)): sending reads no disk. A hint, as in Flash. */
    boolean isLoaded() throws IOException;

    /** Faults every page into memory; blocks on the disk, so helpers only. */
    void load();

    /** Another hold on the same mapping, closed separately. */
    MappedBody retain();

    /** Lets go of this hold; the last one unmaps. Closing twice is harmless. */
    @Override
    void close();
}
