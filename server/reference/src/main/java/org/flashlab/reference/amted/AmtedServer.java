package org.flashlab.reference.amted;

/*
 * AMTED: asymmetric multi-threaded event-driven. The SPED loop, plus helper threads for the disk.
 *
 * Map:
 *   the loop thread does everything SPED does, except two things that may wait for the disk. A
 *   request whose path is not in the pathname cache waits in TRANSLATING while a helper thread
 *   resolves it (DocumentRoot: the directory lookups and stats) and caches the answer; the loop then
 *   opens the file, whose metadata is now in memory. And before sending a response it asks the kernel
 *   whether the file's pages are in memory (Residency, Java's mincore). If they are, it sends at
 *   once (the "local" path). If not, the connection moves to AWAITING_DISK and a helper thread
 *   faults the pages in (a blocking read, off the loop); the helper then puts the job on a queue
 *   and writes a byte to a Pipe whose read end the loop's selector watches. The loop wakes,
 *   finds the job, and sends from memory.
 *   Helpers touch only files, never sockets or connections.
 *
 * Cached workloads: one mincore per response more than SPED. Disk-bound workloads: the loop keeps
 * serving cached files while helpers wait for the disk, which is the paper's whole argument.
 */

import java.time.Duration;

import org.flashlab.reference.event.EventServer;
import org.flashlab.reference.event.HelperStats;
import org.flashlab.server.ServerConfig;

public final class AmtedServer extends EventServer implements HelperStats {
    private final HelperThreads helpers;

    public AmtedServer(ServerConfig config, int helpers, Duration helperDelay) {
        this(config, new HelperThreads(helpers, helperDelay));
    }

    private AmtedServer(ServerConfig config, HelperThreads helpers) {
        super("amted", config, helpers);
        this.helpers = helpers;
    }

    @Override
    public long helperSubmissions() {
        return helpers.submitted();
    }

    @Override
    public long helperFetches() {
        return helpers.fetched();
    }

    @Override
    public long helperTranslations() {
        return helpers.translations();
    }
}
