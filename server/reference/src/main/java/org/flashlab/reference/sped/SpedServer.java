package org.flashlab.reference.sped;

/*
 * SPED: single-process event-driven (the paper's Flash-SPED; Zeus with one process).
 *
 * Map:
 *   one thread runs one EventLoop: it accepts, reads, parses, opens files and writes, for every
 *   connection, switching among them whenever a socket would block. Each connection is a
 *   Connection state machine: READING -> WRITING -> READING ..., LINGERING after an error response,
 *   CLOSED at the end (AWAITING_DISK is AMTED's and AMPED's, never entered here).
 *   close() stops the loop, which closes every connection.
 *
 * Its weakness is the point: the loop never blocks on the network, but it does block on the disk.
 * open(), stat() and reading a file that is not in the page cache stop every client at once.
 * AMTED and AMPED add helpers for exactly that. Its DiskStage is NONE.
 *
 * The selector is the JDK's default (epoll on Linux), or poll(2) when the JVM starts with
 * -Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.PollSelectorProvider (`--selector poll`):
 * poll scans every descriptor on every call, epoll only the ready ones.
 */

import org.flashlab.reference.event.DiskStage;
import org.flashlab.reference.event.EventServer;
import org.flashlab.server.ServerConfig;

public final class SpedServer extends EventServer {
    public SpedServer(ServerConfig config) {
        super("sped", config, DiskStage.NONE);
    }
}
