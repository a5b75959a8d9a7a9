package org.flashlab.reference;

import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.flashlab.cli.Cli;
import org.flashlab.cli.ExitCode;
import org.flashlab.server.Server;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `flashlab demo`: the first command a new user types. The launcher first measures four reference
 * models on the bundled sample site (the experiments runner's "demo" preset) and writes the HTML
 * report; this class then serves that report with the reference server itself and prints the URL to
 * open. When the default port is taken (another demo, a
 * development server on 8080), it serves on a free port instead and says so, rather than sending the
 * user off to retry. `--check` fetches the home page once and exits: a one-command proof that the kit
 * works on this machine (and the demo's end-to-end test).
 */
@Command(name = "flashlab demo", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = Cli.Version.class,
        description = {"Measures four reference models on the bundled sample site (about two minutes), writes the HTML "
                + "report, and serves it with the reference server until Ctrl-C.",
                "--profile check measures for a few seconds only."},
        footer = "Exit status: 0 when the check passed (or the server was stopped), 1 when it could not start "
                + "or the check failed, 2 on bad usage.")
public final class Demo implements Callable<Integer> {
    /** Where the launcher says the kit is (-Dflashlab.home). */
    private static final String HOME = System.getProperty("flashlab.home", ".");

    @Option(names = "--port", paramLabel = "N",
            description = "Port to serve on; 0 picks a free one (default: $FLASHLAB_PORT, else 8080, else a free port).")
    Integer port;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "sped",
            description = "The concurrency model (default: ${DEFAULT-VALUE}; ./flashlab server --help lists them).")
    String model;

    @Option(names = "--check", description = "Fetch the home page once, print what came back, and stop.")
    boolean check;

    @Option(names = "--docroot", paramLabel = "DIR", hidden = true, description = "The site to serve.")
    Path docroot = Path.of(HOME, "server", "sample-site");

    @Option(names = "--page", paramLabel = "PATH", hidden = true, description = "The page to open (default: the home page).")
    String page = "";

    @Option(names = "--profile", paramLabel = "NAME", description = "How long to measure first: quick (about two minutes, "
            + "the default) or check (seconds). The launcher runs the measurement; this option is listed here for --help.")
    String profile;

    @Override
    public Integer call() throws Exception {
        String fromEnvironment = System.getenv("FLASHLAB_PORT");
        boolean chosen = port != null || (fromEnvironment != null && !fromEnvironment.isBlank());
        int wanted = port != null ? port : chosen ? parsePort(fromEnvironment) : 8080;
        Server server = startFallingBack(wanted, chosen);
        String url = "http://127.0.0.1:" + server.port() + "/" + page;
        if (check) {
            try (server) {
                return checkHomePage(url);
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            server.close();
            stopped.countDown();
        }));
        System.out.println("flashlab demo: the reference server (model " + model + ") serves " + docroot
                + "; Ctrl-C stops it.");
        System.out.println("  Open " + url + " in a browser, or: curl -v " + url);
        System.out.println(Server.readinessLine(server.address()));
        System.out.flush();
        stopped.await();
        return ExitCode.OK.code();
    }

    /** Starts on {@code wanted}; when that is the default port and it is taken, on a free one. */
    private Server startFallingBack(int wanted, boolean chosen) {
        try {
            return start(wanted);
        } catch (Cli.UserError e) {
            if (chosen || !(e.getCause() instanceof BindException)) {
                throw e;
            }
            System.out.println("flashlab demo: port " + wanted + " is in use; serving on a free port instead.");
            return start(0);
        }
    }

    private Server start(int onPort) {
        Main main = new Main();
        CommandLine.populateCommand(main, "--model", model, "--port", Integer.toString(onPort),
                "--docroot", docroot.toString());
        return main.startServer();
    }

    /** GET / once, as a browser would, and say what came back. */
    private static int checkHomePage(String url) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
            boolean ok = response.statusCode() == 200 && response.body().length > 0;
            System.out.println("flashlab demo: GET " + url + " answered " + response.statusCode() + " with "
                    + response.body().length + " bytes" + (ok ? ": the kit works." : ": that is wrong."));
            return ok ? 0 : 1;
        }
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw Cli.usage("FLASHLAB_PORT must be a port number, not '" + text + "'");
        }
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new Demo(), args));
    }
}
