package org.flashlab.reference.amped;

/*
 * AMPED: asymmetric multi-process event-driven. Flash itself.
 *
 * Map:
 *   the loop thread is SPED's, with two checks. A request whose path is not in the pathname cache
 *   waits in TRANSLATING while a helper *process* resolves it (DocumentRoot's checks, confinement
 *   included), which brings the directory entries and inodes into the kernel's caches, and sends
 *   back the file it found; the loop caches that and opens the file without waiting. (Flash's
 *   helpers could have passed the open descriptor back; the JDK's Unix-domain channels cannot.)
 *   And before each send: are the file's pages in memory
 *   (Residency, Java's mincore)? If yes, it sends at once. If not, the connection waits in
 *   AWAITING_DISK and a helper *process* gets the file region over a Unix-domain socket; it faults
 *   the pages into the page cache, which all processes share, and replies with the request's id on
 *   the same socket, which the loop's selector watches. Then the loop sends from memory.
 *   Helper processes are started with the server and ended with it; they never see a client.
 *
 * Why processes and not threads (AMTED)? In 1999 many systems had no kernel threads, or none that
 * could block independently; processes worked everywhere ("portable" in the paper's title). The
 * price: each helper is a whole JVM here (tens of MB), where Flash's were small C processes.
 */

import java.time.Duration;

import org.flashlab.reference.event.DiskStage;
import org.flashlab.reference.event.EventServer;
import org.flashlab.reference.event.HelperStats;
import org.flashlab.server.ServerConfig;

public final class AmpedServer extends EventServer implements HelperStats {
    private final HelperProcesses helpers;

    public AmpedServer(ServerConfig config, int helpers, Duration helperDelay) {
        this(config, new HelperProcesses(helpers, helperDelay));
    }

    /**
     * AMPED's disk stage alone (helper processes over Unix sockets), for a server assembled from
     * parts: the conformance suite's broken servers build on it.
     */
    public static DiskStage helperProcesses(int helpers, Duration helperDelay) {
        return new HelperProcesses(helpers, helperDelay);
    }

    private AmpedServer(ServerConfig config, HelperProcesses helpers) {
        super("amped", config, helpers);
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
