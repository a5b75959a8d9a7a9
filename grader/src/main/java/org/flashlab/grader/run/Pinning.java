package org.flashlab.grader.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the server and the load generator on different cores, with taskset(1). On one machine they
 * otherwise fight for the same CPUs, and the server's numbers would include the client's appetite.
 *
 * @param serverCpus a taskset CPU list for the server ("0"), or null for no pinning
 * @param clientCpus a taskset CPU list for the generator ("1"), or null for no pinning
 */
public record Pinning(String serverCpus, String clientCpus) {
    public static final Pinning NONE = new Pinning(null, null);

    /** Server on the first CPU this process may use and client on the others, when taskset exists and there are two or more. */
    public static Pinning byDefault() {
        List<Integer> cpus = allowedCpus();
        if (cpus.size() < 2 || !tasksetAvailable()) {
            return NONE;
        }
        // The first CPU this process may use for the server, the others for the client: under a batch
        // system's or a container's CPU set, those are not 0 to n-1.
        return new Pinning(Integer.toString(cpus.getFirst()), String.join(",",
                cpus.subList(1, cpus.size()).stream().map(String::valueOf).toList()));
    }

    /** The CPUs this process may run on (Cpus_allowed_list in /proc/self/status), or 0 to n-1 elsewhere. */
    static List<Integer> allowedCpus() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return parseCpuList(line.substring(line.indexOf(':') + 1).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or a format this does not know: fall back on the count
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            all.add(i);
        }
        return all;
    }

    /** "0-2,5" is [0, 1, 2, 5]. */
    static List<Integer> parseCpuList(String list) {
        List<Integer> cpus = new ArrayList<>();
        for (String part : list.split(",")) {
            String[] range = part.strip().split("-");
            int from = Integer.parseInt(range[0]);
            int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
            for (int c = from; c <= to; c++) {
                cpus.add(c);
            }
        }
        return cpus;
    }

    public static boolean tasksetAvailable() {
        try {
            Process p = new ProcessBuilder("taskset", "-p", Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false; // not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The server's command, behind taskset when pinned. */
    public List<String> server(List<String> command) {
        List<String> c = new ArrayList<>();
        if (serverCpus != null) {
            c.addAll(List.of("taskset", "-c", serverCpus));
        }
        c.addAll(command);
        return c;
    }

    /** Pins every thread of this JVM (the generator) to the client's CPUs; new threads inherit it. */
    public void pinThisProcess() throws IOException, InterruptedException {
        if (clientCpus == null) {
            return;
        }
        Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", clientCpus, Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("taskset could not pin the load generator to CPUs " + clientCpus + ": " + out.strip());
        }
    }

    public String describe() {
        return serverCpus == null ? "not pinned" : "server on CPU " + serverCpus + ", client on CPU " + clientCpus;
    }
}
