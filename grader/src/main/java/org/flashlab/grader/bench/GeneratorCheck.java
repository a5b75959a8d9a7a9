package org.flashlab.grader.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.flashlab.reference.process.ChildJvm;

import org.flashlab.cli.Cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `flashlab generator-check`: is the kit's load generator as good as the C tools? Against nginx
 * (one worker, pinned to one core), with the generator and the C tool taking turns on the same other
 * core, at the same concurrency, it measures the generator against ab on 1 KB with a new connection
 * per request, and against wrk on 1 KB kept alive, and compares their medians (p50) at two loads.
 * Every number in a report comes from these instruments, so this is their calibration. A benchmark,
 * not a test: it reports and asserts nothing. Exit codes: 0 done; 1 a tool is missing; 2 bad usage.
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
            return 2;
        }
        for (String tool : List.of("nginx", "wrk", "ab", "taskset")) {
            if (!ServerBench.onPath(tool)) {
                System.err.println("flashlab generator-check: '" + tool + "' is not installed "
                        + "(apt-get install nginx-light wrk apache2-utils util-linux)");
                return 1;
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
        try {
            for (int round = 1; round <= rounds; round++) {
                JsonNode ours = generator(url, connections, true, dir);
                double ab = number(ServerBench.run(pinned("ab", "-q", "-t", Integer.toString(duration), "-n", "100000000",
                        "-c", Integer.toString(connections), url)), "Requests per second:\\s+([0-9.]+)");
                fresh.add(new Pair(ours.get("requestsPerSecond").asDouble(), ab));

                ours = generator(url, connections, false, dir);
                String wrk = ServerBench.run(pinned("wrk", "-t1", "-c" + connections, "-d" + duration + "s", "--latency", url));
                kept.add(new Pair(ours.get("requestsPerSecond").asDouble(), number(wrk, "Requests/sec:\\s+([0-9.]+)")));
                p50.add(new Pair(ours.get("latency").get("p50Ms").asDouble(), wrkMedianMillis(wrk)));

                ours = generator(url, lightConnections, false, dir);
                wrk = ServerBench.run(pinned("wrk", "-t1", "-c" + lightConnections, "-d" + duration + "s", "--latency", url));
                lightP50.add(new Pair(ours.get("latency").get("p50Ms").asDouble(), wrkMedianMillis(wrk)));

                out.printf(Locale.ROOT, "round %d: new connections %,.0f vs ab %,.0f req/s (%.2fx); keep-alive %,.0f vs wrk "
                                + "%,.0f (%.2fx); p50 at c=%d %.3f vs %.3f ms; p50 at c=%d %.3f vs %.3f ms%n",
                        round, fresh.getLast().ours(), fresh.getLast().theirs(), fresh.getLast().ratio(),
                        kept.getLast().ours(), kept.getLast().theirs(), kept.getLast().ratio(),
                        connections, p50.getLast().ours(), p50.getLast().theirs(),
                        lightConnections, lightP50.getLast().ours(), lightP50.getLast().theirs());
            }
        } finally {
            nginx.stop().run();
            ServerBench.deleteTree(dir);
        }
        out.printf(Locale.ROOT, "median over %s: %.2fx ab (new connections), %.2fx wrk (keep-alive), "
                        + "p50 %+.1f%% of wrk's at c=%d and %+.1f%% at c=%d%n", Cli.count(rounds, "round"), median(fresh, Pair::ratio),
                median(kept, Pair::ratio), 100 * (median(p50, Pair::ratio) - 1), connections,
                100 * (median(lightP50, Pair::ratio) - 1), lightConnections);
        return 0;
    }

    private List<String> pinned(String... command) {
        List<String> c = new ArrayList<>(List.of("taskset", "-c", Integer.toString(clientCpu)));
        c.addAll(List.of(command));
        return c;
    }

    /** Runs `flashlab bench` as a process of its own, pinned like the C tools, and reads its JSON. */
    private JsonNode generator(String url, int conns, boolean newConnections, Path dir) throws IOException, InterruptedException {
        Path json = dir.resolve("bench.json");
        List<String> command = pinned();
        command.addAll(ChildJvm.plainCommand(BenchCommand.class,
                List.of("-t1", "-c" + conns, "-d" + duration, "-w" + warmup, "--json", json.toString())));
        if (newConnections) {
            command.add("--new-connections");
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
            return 0;
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
