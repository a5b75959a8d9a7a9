package org.flashlab.grader.load;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.flashlab.cli.Cli;
import org.flashlab.cli.ExitCode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `flashlab bench URL`: the load generator, used like wrk. Prints a wrk-like summary, and writes
 * every number as JSON with --json. Exit codes: 0 measured with no errors; 1 measured, but some
 * requests failed (the summary says which kind); 2 bad arguments; 3 the target could not be used.
 */
@Command(name = "flashlab bench", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class, sortOptions = false,
        description = {"Loads an HTTP server and measures it, like wrk (closed loop) or wrk2 (-R, open loop).",
                "Every response is checked against the first: wrong bytes are errors, not throughput.",
                "On the server's machine, pin it apart from the server: --cpus 1 (or taskset -c 1 ./flashlab bench ...)"})
public final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "URL", description = "An http:// URL, for example http://127.0.0.1:8080/f1k.bin")
    URI url;

    @Option(names = {"-c", "--connections"}, defaultValue = "10", description = "Connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-t", "--threads"}, defaultValue = "2", description = "Threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = {"-d", "--duration"}, defaultValue = "10", paramLabel = "S", description = "Seconds to measure (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = {"-w", "--warmup"}, defaultValue = "1", paramLabel = "S", description = "Seconds to run first, unrecorded (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = {"-R", "--rate"}, defaultValue = "0", paramLabel = "RPS",
            description = "Open loop at this many requests/s in all, latency from each intended send time; 0 = closed loop.")
    double rate;

    @Option(names = "--new-connections", description = "A new connection per request (HTTP/1.0 style, as in the paper).")
    boolean newConnections;

    @Option(names = "--pipeline", defaultValue = "1", paramLabel = "N", description = "Requests outstanding per connection (default: ${DEFAULT-VALUE}).")
    int pipeline;

    @Option(names = "--timeout", defaultValue = "2", paramLabel = "S", description = "Seconds before a request counts as timed out (default: ${DEFAULT-VALUE}).")
    double timeout;

    @Option(names = "--sla", defaultValue = "100", paramLabel = "MS", description = "Latency above which a request violates the SLA (default: ${DEFAULT-VALUE}).")
    double slaMillis;

    @Option(names = "--transport", paramLabel = "T", defaultValue = "auto",
            description = "Sockets: epoll (Linux, through FFM; fewest system calls), nio (anywhere), or auto "
                    + "(epoll where it works) (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--cpus", paramLabel = "LIST",
            description = "Pin the generator to these CPUs with taskset (for example 1, or 2-3), away from the server's.")
    String cpus;

    @Option(names = "--json", paramLabel = "FILE", description = "Write every number as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        LoadSpec spec;
        try {
            spec = new LoadSpec(url, connections, threads, seconds(duration), seconds(warmup), rate, !newConnections,
                    pipeline, seconds(timeout), Duration.ofNanos((long) (slaMillis * 1e6)), null);
        } catch (IllegalArgumentException e) {
            System.err.println("flashlab bench: " + e.getMessage());
            return ExitCode.USAGE.code();
        }
        if (cpus != null) {
            try {
                new org.flashlab.grader.run.Pinning(null, cpus).pinThisProcess();
            } catch (IOException e) {
                System.err.println("flashlab bench: " + e.getMessage());
                return ExitCode.USAGE.code();
            }
        }
        LoadResult result;
        LoadGenerator generator;
        try {
            generator = new LoadGenerator(spec, transport);
        } catch (IllegalArgumentException e) {
            System.err.println("flashlab bench: " + e.getMessage());
            return ExitCode.USAGE.code();
        }
        try {
            result = generator.run();
        } catch (IOException e) {
            System.err.println("flashlab bench: " + e.getMessage());
            return ExitCode.UNREACHABLE.code();
        }
        System.out.print(result.summary(spec, Runtime.getRuntime().availableProcessors()));
        if (json != null) {
            writeJson(json, spec, result, generator.transportUsed());
        }
        return result.errors().total() == 0 ? ExitCode.OK.code() : ExitCode.FAILED.code();
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos((long) (s * 1e9));
    }

    /** Every number of a run, for reports and for comparing runs with a script. */
    static void writeJson(Path file, LoadSpec spec, LoadResult r, String transport) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("target", spec.target().toString());
        root.put("transport", transport);
        root.put("connections", spec.connections());
        root.put("threads", spec.threads());
        root.put("keepAlive", spec.keepAlive());
        root.put("pipeline", spec.pipeline());
        root.putAll(r.toJson());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Files.newOutputStream(file), root);
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new BenchCommand(), args));
    }
}
