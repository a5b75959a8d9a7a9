package org.flashlab.grader.grading;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.flashlab.contract.ServerProcess;
import org.flashlab.grader.grading.Evidence.Verdict;

/**
 * The live probe: starts the submission's server in a {@link Sandbox}, asks for three files and
 * checks every byte, lets one client stall on half a request while another asks for a file (a server
 * meant to be concurrent must answer), sends a bounded burst from several clients at once, watches
 * the server's sockets for connections to another server, stops it, and finds any process it left
 * behind. The first thing that goes wrong is the verdict. No check judges speed: a request gets
 * {@link Timeouts#answer} to be answered, which is an age for a file in memory.
 */
public final class Probe {
    /**
     * The probe's bounds: how long the server may take to print its readiness line, how long one
     * request may take before the server is called stuck, and how long its processes may take to exit
     * after SIGTERM. None is a speed test: each is an age for what it bounds.
     */
    public record Timeouts(Duration ready, Duration answer, Duration stop) {
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(15));
    }
    /** The burst: clients, each sending this many requests, a new connection each. */
    static final int CLIENTS = 8;
    static final int REQUESTS_EACH = 50;

    static final List<String> FILES = List.of("small.html", "mid.bin", "big.bin");
    private static final int[] SIZES = {1024, 100 * 1024, 2 * 1024 * 1024};

    private Probe() {}

    /**
     * Whether the stall check applies to a lesson whose reference is {@code model}: not to the iterative
     * server, which serves one client at a time by design, nor to MP, whose workers each accept on the
     * port with SO_REUSEPORT: the kernel may hand a new connection to the one worker a stalled client
     * holds, and that is the model's known cost (lesson 01 teaches it), not a bug.
     */
    public static boolean stallApplies(String model) {
        return !"iterative".equals(model) && !"mp".equals(model);
    }

    /** Writes the probe's files into {@code docroot}: fixed random bytes, the same on every run. */
    static void site(Path docroot) throws IOException {
        Files.createDirectories(docroot);
        Random random = new Random(1999);
        for (int i = 0; i < FILES.size(); i++) {
            byte[] b = new byte[SIZES[i]];
            random.nextBytes(b);
            Files.write(docroot.resolve(FILES.get(i)), b);
        }
    }

    /**
     * Probes the server that {@code command} starts (with {@code {port}} and {@code {docroot}} filled
     * in here).
     *
     * @param concurrent whether one stalled client must delay no other ({@link #stallApplies})
     */
    public static Evidence.Probe run(List<String> command, Path docroot, boolean concurrent, Sandbox sandbox,
                                     Timeouts timeouts) {
        try {
            site(docroot);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the probe's files into " + docroot, e);
        }
        List<String> argv = command.stream().map(a -> a.replace("{port}", "0").replace("{docroot}", docroot.toString())).toList();
        ServerProcess server;
        try {
            server = ServerProcess.start(sandbox.wrap(argv), null, timeouts.ready());
        } catch (IllegalStateException e) {
            List<String> left = sandbox.killAll();
            return new Evidence.Probe(Verdict.NEVER_READY, tail(e.getMessage()), 0, List.of(), left);
        }
        Set<String> proxies = java.util.Collections.synchronizedSet(new LinkedHashSet<>());
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("probe-sockets").factory());
        // Sampled while the probe runs: a proxy's connection lives only as long as a request does.
        List<String> watchFailure = new java.util.concurrent.CopyOnWriteArrayList<>();
        watcher.scheduleAtFixedRate(() -> {
            try {
                if (proxies.size() < 10) {
                    proxies.addAll(Sockets.outgoing(sandbox.members(), server.port()));
                }
            } catch (RuntimeException e) {
                // Said in the verdict's detail below: a watch that stopped must not pass for a clean one.
                if (watchFailure.isEmpty()) {
                    watchFailure.add(e.toString());
                }
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        AtomicInteger served = new AtomicInteger();
        Verdict verdict = Verdict.OK;
        String detail = "";
        try {
            Duration answer = timeouts.answer();
            Problem p = correct(server, served, answer);
            if (p == null && concurrent) {
                p = stall(server, served, answer);
            }
            if (p == null) {
                p = burst(server, served, answer);
            }
            if (p != null) {
                verdict = p.verdict();
                detail = p.detail();
            }
        } finally {
            watcher.shutdownNow();
            try {
                if (!watcher.awaitTermination(5, TimeUnit.SECONDS)) {
                    watchFailure.add("the socket watch did not stop");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<String> found;
        synchronized (proxies) {
            proxies.addAll(Sockets.outgoing(sandbox.members(), server.port()));
            found = List.copyOf(proxies);
        }
        if (!watchFailure.isEmpty()) {
            detail = (detail.isEmpty() ? "" : detail + "; ") + "the watch on its sockets failed (" + watchFailure.getFirst()
                    + "), so a proxy may have gone unseen";
        }
        // Stop as a person would (SIGTERM to the server alone): its own close() must stop its children.
        server.process().toHandle().destroy();
        List<String> leftovers = new ArrayList<>();
        try {
            if (!server.process().waitFor(timeouts.stop().toMillis(), TimeUnit.MILLISECONDS)) {
                leftovers.add("the server itself did not exit within " + timeouts.stop().toSeconds() + " s of SIGTERM");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!sandbox.awaitExit(timeouts.stop()).isEmpty()) {
            leftovers.addAll(sandbox.killAll());
        }
        server.close();
        if (!found.isEmpty()) {
            return new Evidence.Probe(Verdict.PROXIES, "its processes held connections to another server: "
                    + String.join("; ", found), served.get(), found, leftovers);
        }
        if (verdict == Verdict.OK && !leftovers.isEmpty()) {
            verdict = Verdict.LEFT_PROCESSES;
            detail = leftovers.size() + " still running after it was stopped; close() must stop every process "
                    + "and thread it started (they were killed)";
        }
        if (verdict == Verdict.CRASHED || verdict == Verdict.HANGS) {
            detail += "; its last output:\n" + tail(server.output());
        }
        return new Evidence.Probe(verdict, detail, served.get(), List.of(), leftovers);
    }

    private record Problem(Verdict verdict, String detail) {}

    /** Each file once, byte for byte. */
    private static Problem correct(ServerProcess server, AtomicInteger served, Duration answer) {
        for (String f : FILES) {
            Problem p = fetch(server, f, served, answer);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** One client sends half a request and waits; another must still get its file. */
    private static Problem stall(ServerProcess server, AtomicInteger served, Duration answer) {
        try (Socket stalled = new Socket()) {
            stalled.connect(new InetSocketAddress("127.0.0.1", server.port()), (int) answer.toMillis());
            stalled.getOutputStream().write("GET /small.html HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();
            Problem p = fetch(server, "small.html", served, answer);
            if (p != null && p.verdict() == Verdict.HANGS) {
                return new Problem(Verdict.BLOCKS, "while one client had sent half a request, another's request for "
                        + "/small.html got no answer within " + answer.toSeconds() + " s: the server waits for one client's "
                        + "bytes while the others wait for it (" + p.detail() + ")");
            }
            return p;
        } catch (IOException e) {
            return new Problem(Verdict.HANGS, "could not connect to hold a stalled client: " + e.getMessage());
        }
    }

    /** {@link #CLIENTS} clients at once, {@link #REQUESTS_EACH} requests each. */
    private static Problem burst(ServerProcess server, AtomicInteger served, Duration answer) {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS, Thread.ofPlatform().daemon().name("probe-client-", 0).factory());
        try {
            List<Future<Problem>> results = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                results.add(clients.submit(() -> {
                    for (int i = 0; i < REQUESTS_EACH; i++) {
                        Problem p = fetch(server, FILES.get((client + i) % FILES.size()), served, answer);
                        if (p != null) {
                            return p;
                        }
                    }
                    return null;
                }));
            }
            Problem first = null;
            for (Future<Problem> f : results) {
                Problem p;
                try {
                    // Each request is bounded, so a client's whole run is too: this bound is a backstop.
                    p = f.get(answer.toMillis() * (REQUESTS_EACH + 1), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    p = new Problem(Verdict.HANGS, "a probe client failed: " + e.getCause());
                } catch (java.util.concurrent.TimeoutException e) {
                    p = new Problem(Verdict.HANGS, "a probe client's requests did not finish in time");
                }
                if (first == null || (p != null && rank(p) < rank(first))) {
                    first = p == null ? first : p;
                }
            }
            return first;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Problem(Verdict.HANGS, "the probe was interrupted");
        } finally {
            clients.shutdownNow();
        }
    }

    /** A crash explains timeouts and resets, so it is the verdict when both are seen. */
    private static int rank(Problem p) {
        return switch (p.verdict()) {
            case CRASHED -> 0;
            case WRONG_BYTES -> 1;
            default -> 2;
        };
    }

    /** GET one file on a new connection and check the status and every byte; null when all is well. */
    static Problem fetch(ServerProcess server, String file, AtomicInteger served, Duration answer) {
        byte[] expected;
        try {
            expected = expected(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), (int) answer.toMillis());
            s.setSoTimeout((int) answer.toMillis());
            s.getOutputStream().write(("GET /" + file + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] reply = readAll(s.getInputStream(), expected.length + 64 * 1024, System.nanoTime() + answer.toNanos());
            String problem = check(reply, expected);
            if (problem != null) {
                return new Problem(Verdict.WRONG_BYTES, "GET /" + file + " after " + served.get() + " right answers: " + problem);
            }
            served.incrementAndGet();
            return null;
        } catch (SocketTimeoutException e) {
            return down(server, served, "GET /" + file + " got no complete answer within " + answer.toSeconds() + " s");
        } catch (IOException e) {
            return down(server, served, "GET /" + file + " failed: " + e.getMessage());
        }
    }

    private static Problem down(ServerProcess server, AtomicInteger served, String what) {
        try {
            // A reset may come a moment before the process it came from is reaped: wait for its end, briefly.
            server.process().waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!server.process().isAlive()) {
            return new Problem(Verdict.CRASHED, "the server exited with status " + server.process().exitValue()
                    + " after " + served.get() + " requests were answered");
        }
        return new Problem(Verdict.HANGS, what + ", after " + served.get() + " right answers");
    }

    /** Null when the reply is a 200 carrying exactly {@code expected}; otherwise what is wrong. */
    static String check(byte[] reply, byte[] expected) {
        int end = indexOf(reply, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (end < 0) {
            return "no complete status line and headers (" + reply.length + " bytes came)";
        }
        String head = new String(reply, 0, end, StandardCharsets.ISO_8859_1);
        String status = head.lines().findFirst().orElse("");
        if (!status.matches("HTTP/1\\.[01] 200 .*")) {
            return "the status line was '" + status + "', not 200";
        }
        byte[] body = Arrays.copyOfRange(reply, end + 4, reply.length);
        if (body.length != expected.length) {
            return "the body had " + body.length + " bytes, not " + expected.length;
        }
        int at = Arrays.mismatch(body, expected);
        return at < 0 ? null : "the body differs from the file at byte " + at;
    }

    /** Reads to the end, or to {@code limit} bytes; a server that trickles past the deadline times out. */
    private static byte[] readAll(InputStream in, int limit, long deadline) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0 && out.size() <= limit) {
            out.write(buf, 0, n);
            if (System.nanoTime() > deadline) {
                throw new SocketTimeoutException("the answer was still coming when its time was up");
            }
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static final byte[][] CONTENT = new byte[FILES.size()][];

    /** The bytes {@link #site} writes for a file, made once. */
    private static synchronized byte[] expected(String file) throws IOException {
        int i = FILES.indexOf(file);
        if (CONTENT[i] == null) {
            Random random = new Random(1999);
            for (int k = 0; k < FILES.size(); k++) {
                byte[] b = new byte[SIZES[k]];
                random.nextBytes(b);
                CONTENT[k] = b;
            }
        }
        return CONTENT[i];
    }

    private static String tail(String text) {
        if (text == null) {
            return "";
        }
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
