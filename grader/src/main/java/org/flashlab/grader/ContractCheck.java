package org.flashlab.grader;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import org.flashlab.cli.Cli;
import org.flashlab.cli.ExitCode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `flashlab contract -- COMMAND...`: runs the server contract suite against any server that prints
 * the readiness line, and prints one line per check and a closing "N passed, N failed" line.
 *
 * Exit codes: 0 every check passed; 1 at least one failed; 2 bad arguments.
 */
@Command(name = "flashlab contract", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Runs the server contract suite against a server command.",
                "The command may use {port}, {docroot} and {idle}; for example:",
                "  flashlab contract -- ./flashlab server --model iterative --port {port} --docroot {docroot} --idle-timeout {idle}"})
public final class ContractCheck implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The server's command line.")
    List<String> command;

    @Option(names = "--ready-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long the server may take to print its readiness line (default: ${DEFAULT-VALUE}).")
    int readyTimeoutSeconds;

    private final PrintStream out;

    public ContractCheck() {
        this(System.out);
    }

    ContractCheck(PrintStream out) {
        this.out = out;
    }

    /** The counts of one run. */
    public record Result(int passed, int failed, int skipped) {
        public boolean ok() {
            return failed == 0 && passed > 0;
        }
    }

    @Override
    public Integer call() {
        Result result = run(command, Path.of("").toAbsolutePath(), Duration.ofSeconds(readyTimeoutSeconds), out);
        return result.ok() ? ExitCode.OK.code() : ExitCode.FAILED.code();
    }

    /** Runs the suite once against the command and reports each check to {@code out}. */
    public static synchronized Result run(List<String> command, Path workingDirectory, Duration readyTimeout,
                                          PrintStream out) {
        CommandLineServerContract.command = List.copyOf(command);
        CommandLineServerContract.workingDirectory = workingDirectory;
        CommandLineServerContract.readyTimeout = readyTimeout;
        AtomicInteger passed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        TestExecutionListener report = new TestExecutionListener() {
            private TestPlan plan;

            @Override
            public void testPlanExecutionStarted(TestPlan testPlan) {
                plan = testPlan;
            }

            /** "parent > name" for parameterized cases, so "0 bytes" says which test it belongs to. */
            private String name(TestIdentifier test) {
                return plan.getParent(test)
                        .filter(parent -> parent.getSource().filter(MethodSource.class::isInstance).isPresent())
                        .map(parent -> parent.getDisplayName() + " > " + test.getDisplayName())
                        .orElse(test.getDisplayName());
            }

            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                if (test.isTest()) {
                    skipped.incrementAndGet();
                    out.println("SKIP " + name(test) + ": " + reason);
                }
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                Throwable cause = result.getThrowable().orElse(null);
                if (test.isTest()) {
                    if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                        passed.incrementAndGet();
                        out.println("PASS " + name(test));
                    } else {
                        failed.incrementAndGet();
                        out.println("FAIL " + name(test) + ": " + firstLine(cause));
                    }
                } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    // A container failed: usually the server did not start. Show everything,
                    // including the server's own output, since that is where the reason is.
                    failed.incrementAndGet();
                    out.println("FAIL " + test.getDisplayName() + " (setup): "
                            + (cause == null ? "(no detail)" : cause.getClass().getSimpleName() + ": " + cause.getMessage()));
                }
            }
        };
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(CommandLineServerContract.class))
                .build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, report);
        Result result = new Result(passed.get(), failed.get(), skipped.get());
        out.println("contract: " + result.passed() + " passed, " + result.failed() + " failed"
                + (result.skipped() > 0 ? ", " + result.skipped() + " skipped" : ""));
        return result;
    }

    private static String firstLine(Throwable t) {
        if (t == null) {
            return "(no detail)";
        }
        String message = String.valueOf(t.getMessage()).strip();
        int newline = message.indexOf('\n');
        return t.getClass().getSimpleName() + ": " + (newline < 0 ? message : message.substring(0, newline) + " ...");
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new ContractCheck(), args));
    }
}
