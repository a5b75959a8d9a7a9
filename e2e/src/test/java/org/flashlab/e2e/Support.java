package org.flashlab.e2e;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.flashlab.contract.ServerProcess;

/** Small things the end-to-end tests share: an HTTP GET, a port nobody listens on, tool checks. */
final class Support {
    private Support() {}

    static final Duration QUICK = Duration.ofMinutes(2);

    /** GET http://127.0.0.1:port/path, as a browser would. */
    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** A port that was free a moment ago: bound, then released. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** Starts `./flashlab args...` in the copy and waits for its readiness line. */
    static ServerProcess start(FreshCopy copy, String... args) {
        List<String> command = new ArrayList<>(List.of("./flashlab"));
        command.addAll(List.of(args));
        return ServerProcess.start(command, copy.root, QUICK);
    }

    /**
     * Stops a verb started with {@link #start} as Ctrl-C or a service manager would, with SIGTERM, and
     * returns its exit code.
     */
    static int stop(ServerProcess server) throws InterruptedException {
        server.close();
        Process process = server.process();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            fail("did not exit after SIGTERM:%n%s", server.output());
        }
        return process.exitValue();
    }

    /**
     * The benchmark verbs need wrk, ab and nginx, which .ci/run installs. In CI a missing one is a
     * broken install step and fails; on a laptop without them the test is skipped, and says why.
     */
    static void requireTools(String... tools) {
        for (String tool : tools) {
            boolean found = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                    .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
            String why = "'" + tool + "' is not installed (apt-get install wrk apache2-utils nginx-light; .ci/run does)";
            if (System.getenv("CI") != null && !found) {
                fail(why);
            }
            assumeTrue(found, why);
        }
    }

    /**
     * Instructors' material (the solutions, the hidden tests, the Gradescope scripts) is not in a
     * student's copy of the kit (export-student): a test that needs it is skipped there, and says why.
     */
    static void requireInstructorsKit(FreshCopy copy) {
        assumeTrue(Files.isDirectory(copy.root.resolve("solutions")),
                "needs the solutions and hidden tests, which a student's copy of the kit does not have");
    }
}
