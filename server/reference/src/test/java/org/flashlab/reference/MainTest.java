package org.flashlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

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
    void refusesAMissingDocrootAndAnUnknownModel() {
        assertThatThrownBy(() -> parse("--docroot", docroot.resolve("nope").toString()).startServer())
                .isInstanceOfSatisfying(Main.StartupException.class, e -> assertThat(e.exitCode).isEqualTo(1));
        assertThatThrownBy(() -> parse("--model", "nope", "--docroot", docroot.toString()).startServer())
                .isInstanceOfSatisfying(Main.StartupException.class, e -> {
                    assertThat(e.exitCode).isEqualTo(2);
                    assertThat(e.getMessage()).contains("unknown model 'nope'").contains("iterative");
                });
    }

    @Test
    void aPortInUseIsAClearError() throws IOException, Main.StartupException {
        try (Server first = parse("--port", "0", "--docroot", docroot.toString()).startServer()) {
            assertThatThrownBy(() -> parse("--port", Integer.toString(first.port()), "--docroot", docroot.toString())
                    .startServer())
                    .isInstanceOfSatisfying(Main.StartupException.class, e -> assertThat(e.getMessage()).contains("--port 0"));
        }
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
