package org.flashlab.reference.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What happens to connections that wait in a worker's own accept queue when the worker dies. With
 * SO_REUSEPORT each worker has its own queue; a dead worker's queue is reset by default, so a client
 * that connected a moment earlier gets a reset for no fault of its own (with two workers under
 * `ab -c 4`, killing one stopped ab after 1,489 requests). Linux 5.14 and later can hand those
 * connections to another listener on the same port: net.ipv4.tcp_migrate_req, one setting per network
 * namespace, which root may change. The multi-process models turn it on where they may, and say in
 * one line when they may not.
 */
public final class ConnectionMigration {
    static final Path SYSCTL = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");

    private ConnectionMigration() {}

    /** True when the kernel migrates a dead listener's waiting connections to a live one. */
    public static boolean enabled() {
        try {
            return Files.exists(SYSCTL) && Files.readString(SYSCTL).strip().equals("1");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Turns migration on if it is off and this process may; returns a line saying what it did or why
     * it could not, or null when it was already on.
     */
    public static String enable() {
        if (!Files.exists(SYSCTL)) {
            return "this kernel has no net.ipv4.tcp_migrate_req (Linux 5.14 and later): connections waiting "
                    + "for a worker that dies are reset";
        }
        if (enabled()) {
            return null;
        }
        try {
            Files.writeString(SYSCTL, "1");
            return "turned on net.ipv4.tcp_migrate_req (for this network namespace): connections waiting for a "
                    + "worker that dies now go to a live one";
        } catch (IOException e) {
            return "net.ipv4.tcp_migrate_req is off and only root can turn it on (sysctl -w net.ipv4.tcp_migrate_req=1): "
                    + "connections waiting for a worker that dies are reset";
        }
    }
}
