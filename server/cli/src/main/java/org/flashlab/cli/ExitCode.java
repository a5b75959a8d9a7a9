package org.flashlab.cli;

/**
 * The exit codes every flashlab command shares, so that a script (or the grader) can tell a usage
 * mistake from a failed measurement without reading the text. Every verb returns one of these and
 * nothing else; the launcher itself uses the same two it can meet (1 when it cannot build or find a
 * JDK, 2 for an unknown verb). `flashlab server` adds the JVM's own codes for the signals that stop
 * it: 130 for SIGINT (Ctrl-C), 143 for SIGTERM. The README's table lists them.
 */
public enum ExitCode {
    /** Done: every check passed, every request was answered right. */
    OK(0),
    /** It ran, and something failed: a check, a request, a server that would not start. */
    FAILED(1),
    /** Bad arguments: the one-line message says which, and --help lists the right ones. */
    USAGE(2),
    /** The target could not be used at all (bench: nothing listens at the URL). */
    UNREACHABLE(3);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
