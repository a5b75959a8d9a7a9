package org.flashlab.grader.grading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets a set of processes holds, read from /proc: each process's descriptors name socket
 * inodes ({@code /proc/PID/fd/N -> socket:[INODE]}), and /proc/net/tcp and tcp6 give each inode's
 * endpoints and state. A web server's sockets are its listening socket and its clients' connections,
 * all on its own port; a socket connected from another local port to somewhere else is the server
 * acting as a client: a proxy's tell. Headers cannot tell a proxy from the real thing, because every
 * server on the shared layer sends the same ones.
 */
final class Sockets {
    private static final String ESTABLISHED = "01";
    private static final String SYN_SENT = "02";
    private static final String LISTEN = "0A";

    /** One row of /proc/net/tcp: ports and state; the addresses do not matter on loopback. */
    record Socket(long inode, int localPort, int remotePort, String state) {}

    private Sockets() {}

    /**
     * The outgoing connections of the processes: connected sockets whose local port is not the
     * server's, each described with the process listening at its far end when that is on this machine.
     */
    static List<String> outgoing(List<ProcessHandle> processes, int serverPort) {
        Map<Long, Socket> table = table();
        List<String> found = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (ProcessHandle p : processes) {
            for (long inode : inodes(p.pid())) {
                Socket s = table.get(inode);
                if (s == null || !seen.add(inode)) {
                    continue;
                }
                boolean connected = s.state().equals(ESTABLISHED) || s.state().equals(SYN_SENT);
                if (connected && s.localPort() != serverPort) {
                    // Without the local port, so that a proxy's hundred connections read as one finding.
                    found.add("pid " + p.pid() + " connected to port " + s.remotePort() + listener(table, s.remotePort()));
                }
            }
        }
        return found;
    }

    /** ", where pid N (command) listens", or nothing when no visible process does. */
    private static String listener(Map<Long, Socket> table, int port) {
        Set<Long> listening = new HashSet<>();
        table.values().stream().filter(s -> s.state().equals(LISTEN) && s.localPort() == port)
                .forEach(s -> listening.add(s.inode()));
        if (listening.isEmpty()) {
            return "";
        }
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path dir : procs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                long pid = Long.parseLong(dir.getFileName().toString());
                if (inodes(pid).stream().anyMatch(listening::contains)) {
                    return ", where " + ProcessHandle.of(pid).map(Sandbox::describe).orElse("pid " + pid) + " listens";
                }
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }

    /** The socket inodes among a process's open descriptors. */
    static List<Long> inodes(long pid) {
        List<Long> inodes = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException | SecurityException e) {
            // the process has gone, or is another user's
        }
        return inodes;
    }

    /** /proc/net/tcp and tcp6, by inode. */
    static Map<Long, Socket> table() {
        Map<Long, Socket> table = new HashMap<>();
        for (String f : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(f));
            } catch (IOException e) {
                continue; // no IPv6 here
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] c = line.trim().split("\\s+");
                if (c.length < 10) {
                    continue;
                }
                int local = Integer.parseInt(c[1].substring(c[1].indexOf(':') + 1), 16);
                int remote = Integer.parseInt(c[2].substring(c[2].indexOf(':') + 1), 16);
                table.put(Long.parseLong(c[9]), new Socket(Long.parseLong(c[9]), local, remote, c[3]));
            }
        }
        return table;
    }
}
