package org.flashlab.grader.baseline;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flashlab.contract.ServerProcess;

import org.flashlab.cli.Cli;
import org.flashlab.cli.ExitCode;
import org.flashlab.grader.ReferenceServer;
import org.flashlab.grader.proc.ProcTree;
import org.flashlab.grader.run.Stats;
import org.flashlab.grader.workload.Dataset;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `flashlab server-bench`: every reference model, and nginx with one worker when it is installed,
 * measured in one run with wrk (keep-alive) and ab (a new connection per request) against the same
 * files, server and client pinned to different cores. A benchmark, not a test: it asserts nothing,
 * it reports. Exit codes: 0 done; 1 a tool is missing or a server would not start; 2 bad arguments.
 */
@Command(name = "flashlab server-bench", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class, sortOptions = false,
        description = "Benchmarks the reference models against nginx with wrk and ab.")
public final class ServerBench implements Callable<Integer> {

    @Option(names = "--models", split = ",", paramLabel = "M,M",
            description = "Models to measure (default: all).")
    List<String> models;

    @Option(names = "--duration", paramLabel = "S", defaultValue = "5", description = "Seconds per measurement (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "1", description = "Seconds of warm-up before each (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "50", description = "Concurrent connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--no-nginx", description = "Leave nginx out even when it is installed.")
    boolean noNginx;

    @Option(names = "--server-cpu", paramLabel = "CPU", defaultValue = "0", description = "Core for the server (default: ${DEFAULT-VALUE}).")
    int serverCpu;

    @Option(names = "--client-cpu", paramLabel = "CPU", defaultValue = "1", description = "Core for wrk and ab (default: ${DEFAULT-VALUE}).")
    int clientCpu;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "1",
            description = "Rounds: each measures every server once, in the same order (A B C A B C ...), so that drift "
                    + "on the machine hits all alike; the table shows each cell's median (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the table as Markdown.")
    Path markdown;

    /** The four workloads of the issue: three sizes kept alive, and 1 KB with a connection each. */
    enum Workload {
        KA_1K("1KB keep-alive", "f1k.bin", true),
        KA_10K("10KB keep-alive", "f10k.bin", true),
        KA_100K("100KB keep-alive", "f100k.bin", true),
        CONN_1K("1KB new connection", "f1k.bin", false);

        final String label;
        final String file;
        final boolean keepAlive;

        Workload(String label, String file, boolean keepAlive) {
            this.label = label;
            this.file = file;
            this.keepAlive = keepAlive;
        }
    }

    /** One measurement. */
    record Measure(double requestsPerSecond, double megabytesPerSecond, long errors) {}

    /** One server's row. */
    record Row(String target, Map<Workload, Measure> results, ProcTree underLoad, long switchesPerSecond) {}

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        for (String tool : List.of("wrk", "ab")) {
            if (!onPath(tool)) {
                System.err.println("flashlab server-bench: '" + tool + "' is not installed (apt-get install wrk apache2-utils)");
                return ExitCode.FAILED.code();
            }
        }
        boolean pin = onPath("taskset");
        boolean nginx = !noNginx && onPath("nginx");
        List<String> chosen = models == null ? ReferenceServer.MODELS : models;
        chosen.forEach(ReferenceServer::checkModel); // fail fast on a typo, before minutes of measuring
        Path dir = Files.createTempDirectory("flashlab-bench-");
        Path www = Files.createDirectories(dir.resolve("www"));
        Random random = new Random(1999);
        for (Workload w : Workload.values()) {
            int size = Integer.parseInt(w.file.replaceAll("\\D", "")) * 1024;
            byte[] data = new byte[size];
            random.nextBytes(data);
            Files.write(www.resolve(w.file), data);
        }
        out.printf("flashlab server-bench: %d s per run after %d s warm-up, %d connections, server on CPU %s, "
                        + "clients on CPU %s, %d cores%n", duration, warmup, connections, pin ? serverCpu : "any",
                pin ? clientCpu : "any", Runtime.getRuntime().availableProcessors());
        if (rounds < 1) {
            throw Cli.usage("--rounds must be at least 1");
        }
        if (!nginx) {
            out.println("nginx is not installed or --no-nginx: no ratio column (apt-get install nginx-light)");
        }
        List<String> targets = new ArrayList<>(chosen);
        if (nginx) {
            targets.addFirst(NGINX);
        }
        Map<String, List<Row>> measured = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            if (rounds > 1) {
                out.printf("round %d of %d%n", round, rounds);
            }
            for (String target : targets) {
                Running server = start(target, dir, www, pin);
                if (server != null) {
                    measured.computeIfAbsent(target, t -> new ArrayList<>()).add(measure(target, server, pin));
                }
            }
        }
        List<Row> rows = measured.values().stream().map(ServerBench::median).toList();
        String table = table(rows);
        out.println();
        out.print(table);
        if (markdown != null) {
            Files.writeString(markdown, table);
        }
        Dataset.delete(dir);
        return ExitCode.OK.code();
    }

    /** A started server and how to stop it. */
    record Running(Process process, int port, Runnable stop) {}

    private static final String NGINX = "nginx (1 worker)";

    /** Starts nginx or a reference model (its default helpers and threads; two workers); null if it would not start. */
    private Running start(String target, Path dir, Path www, boolean pin) throws IOException {
        if (target.equals(NGINX)) {
            return startNginx(dir, www, pin ? Integer.toString(serverCpu) : null);
        }
        List<String> command = new ArrayList<>(pin ? List.of("taskset", "-c", Integer.toString(serverCpu)) : List.of());
        command.addAll(ReferenceServer.command(target, List.of("--port", "0", "--docroot", www.toString(), "--workers", "2")));
        try {
            ServerProcess server = ServerProcess.start(command, null, Duration.ofSeconds(90));
            return new Running(server.process(), server.port(), server::close);
        } catch (IllegalStateException e) {
            System.err.println("flashlab server-bench: " + target + " did not start: " + e.getMessage());
            return null;
        }
    }

    /** One row of medians from a server's rounds: each workload's rate, bandwidth and errors. */
    static Row median(List<Row> rounds) {
        Map<Workload, Measure> results = new LinkedHashMap<>();
        for (Workload w : Workload.values()) {
            List<Measure> all = rounds.stream().map(r -> r.results().get(w)).filter(java.util.Objects::nonNull).toList();
            if (!all.isEmpty()) {
                results.put(w, new Measure(Stats.of(all.stream().mapToDouble(Measure::requestsPerSecond).toArray()).median(),
                        Stats.of(all.stream().mapToDouble(Measure::megabytesPerSecond).toArray()).median(),
                        all.stream().mapToLong(Measure::errors).sum()));
            }
        }
        Row last = rounds.getLast();
        return new Row(last.target(), results, last.underLoad(), last.switchesPerSecond());
    }

    private Row measure(String target, Running server, boolean pin) throws IOException, InterruptedException {
        Map<Workload, Measure> results = new LinkedHashMap<>();
        ProcTree loaded = ProcTree.UNKNOWN;
        long switches = -1;
        try {
            for (Workload w : Workload.values()) {
                String url = "http://127.0.0.1:" + server.port() + "/" + w.file;
                run(client(w, url, warmup, pin)); // warm-up: JIT, caches, page cache
                ProcTree before = ProcTree.sample(server.process().toHandle());
                Process load = new ProcessBuilder(client(w, url, duration, pin)).redirectErrorStream(true).start();
                LockSupport.parkNanos(Duration.ofMillis(duration * 500L).toNanos()); // sample mid-run
                ProcTree during = ProcTree.sample(server.process().toHandle());
                String output = new String(load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                load.waitFor(duration + 30L, TimeUnit.SECONDS);
                ProcTree after = ProcTree.sample(server.process().toHandle());
                results.put(w, w.keepAlive ? parseWrk(output) : parseAb(output));
                if (w == Workload.KA_1K) {
                    loaded = during;
                    switches = after.switchesPerSecondSince(before, duration);
                }
            }
        } finally {
            server.stop().run();
        }
        Row row = new Row(target, results, loaded, switches);
        out.println(format(row, null));
        return row;
    }

    private List<String> client(Workload w, String url, int seconds, boolean pin) {
        List<String> command = new ArrayList<>(pin ? List.of("taskset", "-c", Integer.toString(clientCpu)) : List.of());
        if (w.keepAlive) {
            command.addAll(List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", url));
        } else {
            command.addAll(List.of("ab", "-q", "-r", "-t", Integer.toString(seconds), "-n", "100000000",
                    "-c", Integer.toString(connections), url));
        }
        return command;
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return output;
    }

    static Measure parseWrk(String output) {
        double rps = number(output, "Requests/sec:\\s+([0-9.]+)");
        Matcher transfer = Pattern.compile("Transfer/sec:\\s+([0-9.]+)([KMG]?B)").matcher(output);
        double mbps = 0;
        if (transfer.find()) {
            double scale = switch (transfer.group(2)) {
                case "GB" -> 1024;
                case "MB" -> 1;
                case "KB" -> 1.0 / 1024;
                default -> 1.0 / (1024 * 1024);
            };
            mbps = Double.parseDouble(transfer.group(1)) * scale;
        }
        long errors = (long) number(output, "Non-2xx or 3xx responses:\\s+(\\d+)");
        Matcher socket = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(output);
        if (socket.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(socket.group(i));
            }
        }
        return new Measure(rps, mbps, errors);
    }

    static Measure parseAb(String output) {
        double rps = number(output, "Requests per second:\\s+([0-9.]+)");
        double kbps = number(output, "Transfer rate:\\s+([0-9.]+)");
        long errors = (long) number(output, "Failed requests:\\s+(\\d+)") + (long) number(output, "Non-2xx responses:\\s+(\\d+)");
        return new Measure(rps, kbps / 1024, errors);
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** nginx with one worker serving {@code www}, pinned to {@code cpu} unless it is null. */
    static Running startNginx(Path dir, Path www, String cpu) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path conf = org.flashlab.grader.experiment.External.nginxConfig(dir, port, www);
        List<String> command = new ArrayList<>(cpu != null ? List.of("taskset", "-c", cpu) : List.of());
        command.addAll(List.of("nginx", "-c", conf.toString(), "-p", dir.toString()));
        Process nginx = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) { // nginx prints no readiness line: poll until it accepts, bounded
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                break;
            } catch (IOException notYet) {
                if (!nginx.isAlive() || System.nanoTime() - deadline > 0) {
                    nginx.destroyForcibly();
                    throw new IOException("nginx did not start: " + Files.readString(dir.resolve("nginx.out")));
                }
                LockSupport.parkNanos(50_000_000);
            }
        }
        return new Running(nginx, port, () -> {
            nginx.toHandle().descendants().forEach(ProcessHandle::destroy);
            nginx.destroy();
            try {
                if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                    nginx.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private String table(List<Row> rows) {
        Row nginx = rows.stream().filter(r -> r.target().startsWith("nginx")).findFirst().orElse(null);
        StringBuilder s = new StringBuilder();
        s.append("| server | ");
        for (Workload w : Workload.values()) {
            s.append(w.label).append(" req/s (MB/s, x nginx) | ");
        }
        s.append("RSS MB (own + file) | threads | processes | ctx switches/s |\n|---|");
        s.append("---|".repeat(Workload.values().length + 4)).append('\n');
        for (Row row : rows) {
            s.append(format(row, nginx)).append('\n');
        }
        return s.toString();
    }

    private static String format(Row row, Row nginx) {
        StringBuilder s = new StringBuilder("| ").append(row.target()).append(" | ");
        for (Map.Entry<Workload, Measure> e : row.results().entrySet()) {
            Measure m = e.getValue();
            s.append(String.format(Locale.ROOT, "%,.0f (%.1f", m.requestsPerSecond(), m.megabytesPerSecond()));
            if (nginx != null && nginx.results().get(e.getKey()).requestsPerSecond() > 0) {
                s.append(String.format(Locale.ROOT, ", %.2fx", m.requestsPerSecond() / nginx.results().get(e.getKey()).requestsPerSecond()));
            }
            s.append(')');
            if (m.errors() > 0) {
                s.append(" ").append(m.errors()).append(" errors");
            }
            s.append(" | ");
        }
        ProcTree p = row.underLoad();
        s.append(p.rssKb() < 0 ? "?" : (p.rssKb() / 1024) + " (" + (p.anonKb() / 1024) + " + " + (p.fileKb() / 1024) + ")")
                .append(" | ")
                .append(p.threads()).append(" | ").append(p.processes()).append(" | ")
                .append(String.format(Locale.ROOT, "%,d", row.switchesPerSecond())).append(" |");
        return s.toString();
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new ServerBench(), args));
    }
}
