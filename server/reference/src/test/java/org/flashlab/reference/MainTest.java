package org.flashlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.flashlab.cli.Cli;
import org.flashlab.cli.ExitCode;
import org.flashlab.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class MainTest {
    @TempDir
    Path docroot;

    private static Main parse(String... args) {
        CommandLine cli = Main.commandLine();
        cli.parseArgs(args);
        return cli.getCommand();
    }

    @Test
    void startsTheChosenModelOnAnEphemeralPort() throws Exception {
        java.nio.file.Files.writeString(docroot.resolve("index.html"), "hi");
        try (Server server = parse("--model", "iterative", "--port", "0", "--docroot", docroot.toString()).startServer();
             HttpClient client = HttpClient.newHttpClient()) {
            assertThat(server.port()).isPositive();
            assertThat(Server.readinessLine(server.address())).isEqualTo("Listening on http://127.0.0.1:" + server.port() + "/");
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hi");
        }
    }

    @Test
    void refusesAMissingDocrootAnUnknownModelAndAPortOutOfRange() {
        assertThatThrownBy(() -> parse("--docroot", docroot.resolve("nope").toString()).startServer())
                .isInstanceOfSatisfying(Cli.UserError.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED));
        assertThatThrownBy(() -> parse("--model", "nope", "--docroot", docroot.toString()).startServer())
                .isInstanceOfSatisfying(Cli.UserError.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).contains("unknown model 'nope'").contains("iterative");
                });
        assertThatThrownBy(() -> parse("--port", "99999", "--docroot", docroot.toString()).startServer())
                .isInstanceOfSatisfying(Cli.UserError.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).contains("--port must be from 0 to 65535");
                });
    }

    @Test
    void aPortInUseIsAClearError() throws IOException {
        try (Server first = parse("--port", "0", "--docroot", docroot.toString()).startServer()) {
            assertThatThrownBy(() -> parse("--port", Integer.toString(first.port()), "--docroot", docroot.toString())
                    .startServer())
                    .isInstanceOfSatisfying(Cli.UserError.class, e -> {
                        assertThat(e.getMessage()).contains("--port 0");
                        assertThat(e.getCause()).as("the demo falls back on this kind").isInstanceOf(BindException.class);
                    });
        }
    }

    @Test
    void usageErrorsAreOneLineAndAHintNotTheWholeHelp() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        // picocli would report the missing --docroot first; the typo is what the user needs to see.
        assertThat(cli.execute("--frob")).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString().lines()).first().asString().isEqualTo("flashlab server: Unknown option: '--frob'");
        assertThat(err.toString()).contains("Try 'flashlab server --help'").doesNotContain("Usage:");
        assertThat(err.toString().lines().count()).isLessThanOrEqualTo(3);
    }

    @Test
    void versionNamesTheKitAndTheJdk() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("--version")).isZero();
        assertThat(out.toString()).startsWith("flashlab server " + Cli.kitVersion()).contains("Java 25");
        assertThat(Cli.kitVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void helpListsEveryModelWithItsSummary() {
        StringWriter help = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(help));
        assertThat(cli.execute("--help")).isZero();
        for (Model model : Model.values()) {
            assertThat(help.toString()).contains(model.cliName()).contains(model.summary());
        }
        assertThat(cli.execute("--port", "x")).as("usage errors exit 2").isEqualTo(2);
    }
}
