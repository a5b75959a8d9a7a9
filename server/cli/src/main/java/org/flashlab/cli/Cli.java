package org.flashlab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every flashlab command talks to a person when something is wrong, as git and cargo do: one
 * line that says what, one line that says where help is, and a documented exit code (see
 * {@link ExitCode}). The full usage is for --help, not for every typo.
 *
 * A command reports a mistake of the user's by throwing {@link #usage} or {@link #failure}; anything
 * else that escapes a command is a bug in the kit, and keeps its stack trace so it can be fixed.
 */
public final class Cli {
    private Cli() {}

    /** A user's mistake or a failure the user can act on: printed as one line, never as a stack trace. */
    public static final class UserError extends RuntimeException {
        private final ExitCode exitCode;

        UserError(ExitCode exitCode, String message, Throwable cause) {
            super(message, cause);
            this.exitCode = exitCode;
        }

        public ExitCode exitCode() {
            return exitCode;
        }
    }

    /** Bad arguments, exit 2: "flashlab run: --repeat must be at least 1". */
    public static UserError usage(String message) {
        return new UserError(ExitCode.USAGE, message, null);
    }

    /** The command ran and could not do its job, exit 1: "flashlab server: cannot bind ...". */
    public static UserError failure(String message) {
        return new UserError(ExitCode.FAILED, message, null);
    }

    /** A failure with the exception behind it, for a caller that decides by its kind (a port in use). */
    public static UserError failure(String message, Throwable cause) {
        return new UserError(ExitCode.FAILED, message, cause);
    }

    /** The command line for {@code command}, with the kit's error handling and version. */
    public static CommandLine commandLine(Object command) {
        CommandLine cli = new CommandLine(command);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(Cli::reportParameterError);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError u) {
                commandLine.getErr().println(commandLine.getCommandName() + ": " + u.getMessage());
                if (u.exitCode() == ExitCode.USAGE) {
                    commandLine.getErr().println(helpHint(commandLine));
                }
                return u.exitCode().code();
            }
            throw e; // a bug: picocli prints its stack trace and exits 1
        });
        return cli;
    }

    /** Parses and runs {@code command} with {@code args}, and returns the exit code: the usual main(). */
    public static int execute(Object command, String... args) {
        return commandLine(command).execute(args);
    }

    private static int reportParameterError(ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        // picocli checks required options before it complains about unknown ones; a typo
        // ("--prot 0") then reads as "missing --docroot", which sends the user the wrong way.
        List<String> unmatched = cli.getUnmatchedArguments();
        ParameterException shown = e instanceof UnmatchedArgumentException || unmatched.isEmpty()
                ? e : new UnmatchedArgumentException(cli, unmatched);
        err.println(cli.getCommandName() + ": " + shown.getMessage());
        if (shown instanceof UnmatchedArgumentException u) {
            UnmatchedArgumentException.printSuggestions(u, err);
        }
        err.println(helpHint(cli));
        return ExitCode.USAGE.code();
    }

    private static String helpHint(CommandLine cli) {
        return "Try '" + cli.getCommandName() + " --help' for more information.";
    }

    /** "1 run", "3 runs", "1 process", "4 processes": counts in sentences a person reads. */
    public static String count(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + (noun.endsWith("s") ? "es" : "s"));
    }

    /** The kit's version, from the build: what --version prints for every command. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"${COMMAND-FULL-NAME} " + kitVersion(),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"};
        }
    }

    /** "0.1.0-SNAPSHOT": the Maven project version this build was made from. */
    public static String kitVersion() {
        try (InputStream in = Cli.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the build");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
