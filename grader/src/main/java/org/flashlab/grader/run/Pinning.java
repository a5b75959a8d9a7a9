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

    /** Server on CPU 0 and client on the rest, when taskset exists and there are two cores or more. */
    public static Pinning byDefault() {
        int cores = Runtime.getRuntime().availableProcessors();
        if (cores < 2 || !tasksetAvailable()) {
            return NONE;
        }
        return new Pinning("0", cores == 2 ? "1" : "1-" + (cores - 1));
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
