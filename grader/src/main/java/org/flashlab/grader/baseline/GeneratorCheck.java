package org.flashlab.grader.baseline;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.flashlab.grader.load.BenchCommand;
import org.flashlab.grader.load.RunQueue;

import org.flashlab.cli.Cli;
import org.flashlab.cli.ExitCode;
import org.flashlab.server.JavaCommand;
import org.flashlab.grader.workload.Dataset;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `flashlab generator-check`: is the kit's load generator as good as the C tools? Against nginx
 * (one worker, pinned to one core), with the generator and the C tool taking turns on the same other
 * core, at the same concurrency, it measures the generator against ab on 1 KB with a new connection
 * per request, and against wrk on 1 KB kept alive, and compares their medians (p50) at two loads.
 * Every number in a report comes from these instruments, so this is their calibration.
 *
 * The open loop (-R) has no C tool to compare with here (Debian does not ship wrk2), so it is checked
 * against what must hold: at about 1% load its median matches the closed loop's with one connection,
 * and on a server with a known 2 ms service time it reports 2 ms; it sustains a rate near the closed
 * loop's maximum before its p99 passes 1 ms; and its books balance: never more than the target
 * achieved, every slot of the window answered or counted as an error.
 *
 * A benchmark, not a test: it reports. Exit codes: 0 done; 1 a tool is missing, or an open loop's
 * books did not balance (a bug in the generator); 2 bad usage.
 */
@Command(name = "flashlab generator-check", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class, sortOptions = false,
        description = "Measures the kit's load generator against wrk and ab on nginx, taking turns on one core.")
public final class GeneratorCheck implements Callable<Integer> {

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds of every comparison (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--duration", paramLabel = "S", defaultValue = "5", description = "Seconds per measurement (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "2",
            description = "Seconds the generator runs unrecorded first, for its JIT (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "50", description = "Concurrent connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--light-connections", paramLabel = "N", defaultValue = "10",
            description = "Connections for the second latency comparison (default: ${DEFAULT-VALUE}).")
    int lightConnections;

    @Option(names = "--server-cpu", paramLabel = "CPU", defaultValue = "0", description = "Core for nginx (default: ${DEFAULT-VALUE}).")
    int serverCpu;

    @Option(names = "--client-cpu", paramLabel = "CPU", defaultValue = "1", description = "Core for every client (default: ${DEFAULT-VALUE}).")
    int clientCpu;

    private final PrintStream out = System.out;

    /** One comparison: ours against theirs. */
    record Pair(double ours, double theirs) {
        double ratio() {
            return theirs == 0 ? 0 : ours / theirs;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || duration < 1 || warmup < 0 || connections < 1 || lightConnections < 1) {
            System.err.println("flashlab generator-check: rounds, duration and connections must be at least 1");
            return ExitCode.USAGE.code();
        }
        for (String tool : List.of("nginx", "wrk", "ab", "taskset")) {
            if (!ServerBench.onPath(tool)) {
                System.err.println("flashlab generator-check: '" + tool + "' is not installed "
                        + "(apt-get install nginx-light wrk apache2-utils util-linux)");
                return ExitCode.FAILED.code();
            }
        }
        Path dir = Files.createTempDirectory("flashlab-check-");
        Path www = Files.createDirectories(dir.resolve("www"));
        byte[] kb = new byte[1024];
        new Random(1999).nextBytes(kb);
        Files.write(www.resolve("f1k.bin"), kb);
        ServerBench.Running nginx = ServerBench.startNginx(dir, www, Integer.toString(serverCpu));
        String url = "http://127.0.0.1:" + nginx.port() + "/f1k.bin";
        out.printf(Locale.ROOT, "flashlab generator-check: nginx (1 worker) on CPU %d, each client in turn on CPU %d, "
                + "%d connections, %d s per run (the generator warms up %d s first)%n", serverCpu, clientCpu,
                connections, duration, warmup);
        List<Pair> fresh = new ArrayList<>();
        List<Pair> kept = new ArrayList<>();
        List<Pair> p50 = new ArrayList<>();
        List<Pair> lightP50 = new ArrayList<>();
        List<Pair> openOne = new ArrayList<>();   // open loop p50, about 1% load, c=1 : closed loop p50, c=1
        List<Pair> openMany = new ArrayList<>();  // the same open loop with every connection : closed c=1
        List<Pair> sustained = new ArrayList<>(); // highest open-loop rate with p99 < 1 ms : closed-loop maximum
        List<Pair> fixed = new ArrayList<>();     // open loop p50 on the 2 ms server : 2 ms
        OverTarget overTarget = new OverTarget();
        try (FixedDelayServer twoMillis = new FixedDelayServer(Duration.ofMillis(2))) {
            for (int round = 1; round <= rounds; round++) {
                JsonNode ours = generator(url, connections, true, 0, dir);
                double ab = number(ServerBench.run(pinned("ab", "-q", "-t", Integer.toString(duration), "-n", "100000000",
                        "-c", Integer.toString(connections), url)), "Requests per second:\\s+([0-9.]+)");
                fresh.add(new Pair(ours.get("requestsPerSecond").asDouble(), ab));

                ours = generator(url, connections, false, 0, dir);
                String wrk = ServerBench.run(pinned("wrk", "-t1", "-c" + connections, "-d" + duration + "s", "--latency", url));
                kept.add(new Pair(ours.get("requestsPerSecond").asDouble(), number(wrk, "Requests/sec:\\s+([0-9.]+)")));
                p50.add(new Pair(ours.get("latency").get("p50Ms").asDouble(), wrkMedianMillis(wrk)));

                ours = generator(url, lightConnections, false, 0, dir);
                wrk = ServerBench.run(pinned("wrk", "-t1", "-c" + lightConnections, "-d" + duration + "s", "--latency", url));
                lightP50.add(new Pair(ours.get("latency").get("p50Ms").asDouble(), wrkMedianMillis(wrk)));

                out.printf(Locale.ROOT, "round %d: new connections %,.0f vs ab %,.0f req/s (%.2fx); keep-alive %,.0f vs wrk "
                                + "%,.0f (%.2fx); p50 at c=%d %.3f vs %.3f ms; p50 at c=%d %.3f vs %.3f ms%n",
                        round, fresh.getLast().ours(), fresh.getLast().theirs(), fresh.getLast().ratio(),
                        kept.getLast().ours(), kept.getLast().theirs(), kept.getLast().ratio(),
                        connections, p50.getLast().ours(), p50.getLast().theirs(),
                        lightConnections, lightP50.getLast().ours(), lightP50.getLast().theirs());

                double closedOne = p50(generator(url, 1, false, 0, dir));
                openOne.add(new Pair(p50(overTarget.check(generator(url, 1, false, LOW_RATE, dir))), closedOne));
                openMany.add(new Pair(p50(overTarget.check(generator(url, connections, false, LOW_RATE, dir))), closedOne));
                Sustained highest = highestSustained(url, kept.getLast().ours(), nginx.process().toHandle(), dir, overTarget);
                sustained.add(new Pair(highest.rate(), kept.getLast().ours()));
                String twoMs = "http://127.0.0.1:" + twoMillis.port() + "/";
                fixed.add(new Pair(p50(overTarget.check(generator(twoMs, 4, false, 200, dir))), 2.0));
                out.printf(Locale.ROOT, "  open loop: p50 at %,d req/s %.3f ms with c=1 and %.3f ms with c=%d, against the closed "
                                + "loop's %.3f ms at c=1; p99 under 1 ms up to %,.0f req/s with c=%d (%.2fx the closed loop's %,.0f); "
                                + "on a 2 ms server p50 %.3f ms%n    (%s)%n", (long) LOW_RATE, openOne.getLast().ours(),
                        openMany.getLast().ours(), connections, closedOne, sustained.getLast().ours(), 4 * connections,
                        sustained.getLast().ratio(), sustained.getLast().theirs(), fixed.getLast().ours(),
                        highest.stoppedBy());
            }
        } finally {
            nginx.stop().run();
            Dataset.delete(dir);
        }
        out.printf(Locale.ROOT, "median over %s: %.2fx ab (new connections), %.2fx wrk (keep-alive), "
                        + "p50 %+.1f%% of wrk's at c=%d and %+.1f%% at c=%d%n", Cli.count(rounds, "round"), median(fresh, Pair::ratio),
                median(kept, Pair::ratio), 100 * (median(p50, Pair::ratio) - 1), connections,
                100 * (median(lightP50, Pair::ratio) - 1), lightConnections);
        out.printf(Locale.ROOT, "open loop, median over %s: p50 at %,d req/s %+.1f%% (c=1) and %+.1f%% (c=%d) of the closed "
                        + "loop's at c=1; p99 under 1 ms up to %.2fx the closed loop's maximum; p50 %+.1f%% of a 2 ms service time%n",
                Cli.count(rounds, "round"), (long) LOW_RATE, 100 * (median(openOne, Pair::ratio) - 1),
                100 * (median(openMany, Pair::ratio) - 1), connections, median(sustained, Pair::ratio),
                100 * (median(fixed, Pair::ratio) - 1));
        if (overTarget.worst != null) {
            out.println("FAILED: an open loop's books do not balance: " + overTarget.worst);
            return ExitCode.FAILED.code();
        }
        out.printf(Locale.ROOT, "open loop: achieved at most its target, with every slot answered or counted as an error, "
                + "in all %d open-loop runs%n", overTarget.runs);
        return ExitCode.OK.code();
    }

    /** The open loop's low load: about 1% of what one core of nginx serves. */
    private static final double LOW_RATE = 1000;
    /** The offered rates tried, as fractions of the closed loop's maximum, until p99 passes 1 ms. */
    private static final double[] SATURATION_STEPS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};

    /**
     * Every open-loop run's books: the achieved rate at most the target, and each of the window's
     * floor(rate x duration) slots accounted for exactly once, as an answer or as an error (a server
     * that does not close after answering is counted beside its answer, so it is left out). The first
     * run whose books do not balance is kept.
     */
    static final class OverTarget {
        int runs;
        String worst;

        JsonNode check(JsonNode run) {
            runs++;
            double achieved = run.get("requestsPerSecond").asDouble();
            double target = run.get("targetRate").asDouble();
            long slots = (long) Math.floor(target * run.get("seconds").asDouble());
            long accounted = run.get("requests").asLong() + errors(run) - run.get("errors").get("notClosed").asLong();
            if (worst == null && achieved > target) {
                worst = String.format(Locale.ROOT, "achieved %.1f of %.1f req/s", achieved, target);
            } else if (worst == null && accounted != slots) {
                worst = String.format(Locale.ROOT, "%,d of the window's %,d slots accounted for at %.0f req/s",
                        accounted, slots, target);
            }
            return run;
        }
    }

    /**
     * The highest offered rate, in steps of the closed loop's maximum, at which the open loop kept its
     * p99 under 1 ms, achieved 99% of the rate, and had no errors. It offers four times the closed
     * loop's connections: an open loop needs spare ones, or a short stall of the server leaves every
     * connection waiting and the requests due meanwhile are sent late (and charged for it). The first
     * rate that fails is described with the time the server spent waiting for its core, so that a
     * machine's noise (other programs taking the core for milliseconds) is told from the generator's.
     */
    private Sustained highestSustained(String url, double closedMax, ProcessHandle server, Path dir,
                                       OverTarget overTarget) throws IOException, InterruptedException {
        double best = 0;
        for (double step : SATURATION_STEPS) {
            double rate = Math.floor(step * closedMax);
            long waitedBefore = RunQueue.waitNanos(server);
            JsonNode r = overTarget.check(generator(url, 4 * connections, false, rate, dir));
            long waited = RunQueue.waitNanos(server) - waitedBefore;
            double p99 = r.get("latency").get("p99Ms").asDouble();
            boolean kept = p99 < 1.0 && r.get("requestsPerSecond").asDouble() >= 0.99 * rate && errors(r) == 0;
            if (!kept) {
                String why = String.format(Locale.ROOT, "at %,.0f req/s p99 was %.2f ms (send lag p99 %.0f us)", rate, p99,
                        r.get("schedule").get("sendLagP99Us").asDouble());
                if (waitedBefore >= 0) {
                    why += String.format(Locale.ROOT, ", while nginx waited %.1f ms a second for its core behind other "
                            + "programs", waited / 1e6 / (duration + warmup));
                }
                return new Sustained(best, why);
            }
            best = rate;
        }
        return new Sustained(best, "p99 stayed under 1 ms up to the closed loop's maximum");
    }

    /** The highest rate the open loop sustained, and what stopped it. */
    record Sustained(double rate, String stoppedBy) {}

    /** Every kind of error a run counted (the JSON has one field per kind). */
    private static long errors(JsonNode run) {
        long total = 0;
        for (JsonNode count : run.get("errors")) {
            total += count.asLong();
        }
        return total;
    }

    private static double p50(JsonNode run) {
        return run.get("latency").get("p50Ms").asDouble();
    }

    private List<String> pinned(String... command) {
        List<String> c = new ArrayList<>(List.of("taskset", "-c", Integer.toString(clientCpu)));
        c.addAll(List.of(command));
        return c;
    }

    /**
     * Runs `flashlab bench` as a process of its own, pinned like the C tools, and reads its JSON.
     * A {@code rate} above 0 makes it an open loop.
     */
    private JsonNode generator(String url, int conns, boolean newConnections, double rate, Path dir)
            throws IOException, InterruptedException {
        Path json = dir.resolve("bench.json");
        List<String> command = pinned();
        command.addAll(JavaCommand.of(BenchCommand.class.getName(),
                List.of("-t1", "-c" + conns, "-d" + duration, "-w" + warmup, "--json", json.toString())));
        if (newConnections) {
            command.add("--new-connections");
        }
        if (rate > 0) {
            command.add("-R" + (long) rate);
        }
        command.add(url);
        String output = ServerBench.run(command);
        if (!Files.exists(json)) {
            throw new IOException("flashlab bench wrote no results:\n" + output);
        }
        JsonNode node = new ObjectMapper().readTree(json.toFile());
        Files.delete(json);
        return node;
    }

    /** wrk --latency's "50%" line, in milliseconds. */
    static double wrkMedianMillis(String wrk) {
        Matcher m = Pattern.compile("\\s50%\\s+([0-9.]+)(us|ms|s)").matcher(wrk);
        if (!m.find()) {
            return ExitCode.OK.code();
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "ms" -> v;
            default -> v * 1000;
        };
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static double median(List<Pair> pairs, java.util.function.ToDoubleFunction<Pair> f) {
        double[] v = pairs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new GeneratorCheck(), args));
    }
}
