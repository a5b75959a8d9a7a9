package org.flashlab.grader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.flashlab.cli.Cli;
import org.junit.jupiter.api.Test;

/** The grader's contract check against real child processes: a good server, a dead one, a mute one. */
class ContractCheckTest {
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final String CLASSPATH = System.getProperty("java.class.path");

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);

    private ContractCheck.Result run(List<String> command, Duration readyTimeout) {
        return ContractCheck.run(command, Path.of("").toAbsolutePath(), readyTimeout, out);
    }

    private String report() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theReferenceIterativeServerPassesAsAChildProcess() {
        ContractCheck.Result result = run(List.of(JAVA, "-cp", CLASSPATH, "org.flashlab.reference.Main",
                "--model", "iterative", "--port", "{port}", "--docroot", "{docroot}", "--idle-timeout", "{idle}"),
                Duration.ofSeconds(60));
        assertThat(result.failed()).as(report()).isZero();
        assertThat(result.ok()).isTrue();
        assertThat(report()).contains("PASS GET returns the exact bytes of a file of every size > 4194304 bytes")
                .contains("PASS request table > GET a text file")
                .containsPattern("contract: \\d+ passed, 0 failed");
    }

    @Test
    void aServerThatExitsAtOnceIsReportedNotHung() {
        ContractCheck.Result result = run(List.of(JAVA, "-cp", CLASSPATH, "org.flashlab.reference.Main",
                "--model", "no-such-model", "--port", "{port}", "--docroot", "{docroot}"), Duration.ofSeconds(60));
        assertThat(result.ok()).isFalse();
        assertThat(report()).contains("(setup)").contains("exited with status 2").contains("unknown model");
    }

    @Test
    void aServerThatNeverBecomesReadyIsStoppedAndReported() {
        ContractCheck.Result result = run(List.of("sleep", "600"), Duration.ofSeconds(2));
        assertThat(result.ok()).isFalse();
        assertThat(report()).contains("no readiness line within PT2S");
        assertThat(ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").endsWith("sleep")))
                .as("the mute server was killed").allMatch(p -> !p.isAlive());
    }

    @Test
    void theCommandLineNeedsACommand() {
        int exit = Cli.commandLine(new ContractCheck(out)).execute();
        assertThat(exit).isEqualTo(2);
    }
}
