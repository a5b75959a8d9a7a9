package org.flashlab.reference.process;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.List;

import org.flashlab.server.JavaCommand;

/**
 * Starts another JVM running one of this kit's classes, with this JVM's classpath: the workers of
 * MP, N-SPED and hybrid, and AMPED's helper processes.
 *
 * The child's stdin is a pipe that the parent never writes and never closes. When the parent dies,
 * however it dies (even SIGKILL), the kernel closes that pipe and the child reads end-of-file; a
 * child that watches stdin ({@link org.flashlab.server.ParentWatch}) then exits, so no worker is orphaned.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /**
     * The command line for {@code mainClass args...} in a new, small JVM like this one: the workers of
     * MP, N-SPED and hybrid, which serve requests and so keep the optimizing compiler.
     */
    public static List<String> command(Class<?> mainClass, List<String> args) {
        List<String> command = plainCommand(mainClass, args);
        command.addAll(1, List.of("-XX:+UseSerialGC", // small children: one GC thread each
                "-XX:TieredStopAtLevel=4",
                "-XX:+UnlockDiagnosticVMOptions",
                "-XX:ArchiveRelocationMode=0", // shared class-data pages, not a private copy (see HELPER_FLAGS)
                "-XX:-UsePerfData"));
        return command;
    }

    /**
     * The command line for {@code mainClass args...} in a new JVM with this one's classpath and native
     * access, and the JVM's default flags: for a process that is itself measured (a server under
     * test, a load generator), which must run as it would from the launcher.
     */
    public static List<String> plainCommand(Class<?> mainClass, List<String> args) {
        return JavaCommand.of(mainClass.getName(), args);
    }

    /**
     * The flags of an AMPED helper, in one place. A helper only faults pages in and answers with an
     * id, so it needs almost nothing a JVM gives by default, and every byte it keeps is a byte the
     * page cache cannot have: the paper's case for AMPED is that its helpers are small. Measured on
     * JDK 25 (RssAnon of a helper after 20,000 loads): 34 MB with the workers' flags, 18 MB with a
     * small heap and C1 only, 11 MB once the class-data archive is mapped where it was built. The
     * interpreter alone (-Xint) saved 1.7 MB more but cost the loop's core a third of AMPED's
     * throughput on a miss-heavy workload (6,780 against 9,572 req/s); an AppCDS archive of the
     * helper's own classes saved 0.5 MB, not worth a build step.
     */
    static final List<String> HELPER_FLAGS = List.of(
            "-Xms2m", "-Xmx16m",           // its heap holds a path and a few small buffers
            "-XX:+UseSerialGC",            // no collector threads
            "-XX:TieredStopAtLevel=1",     // C1 only: its one loop needs no optimizing compiler and its memory
            "-XX:+UnlockDiagnosticVMOptions",
            "-XX:ArchiveRelocationMode=0", // the JDK's class-data archive at its built-in address: shared
                                           // file pages, not a private relocated copy per helper
            "-XX:-UsePerfData");           // no hsperfdata file mapped per process

    /** Starts the child; its stdout is a pipe for the caller to read, its stderr is this JVM's. */
    public static Process start(Class<?> mainClass, List<String> args) throws IOException {
        return start(command(mainClass, args));
    }

    /** Starts an AMPED helper: {@link #command}'s JVM with {@link #HELPER_FLAGS} instead. */
    public static Process startHelper(Class<?> mainClass, List<String> args) throws IOException {
        List<String> command = plainCommand(mainClass, args);
        command.addAll(1, HELPER_FLAGS);
        return start(command);
    }

    private static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command)
                .redirectInput(Redirect.PIPE)
                .redirectOutput(Redirect.PIPE)
                .redirectError(Redirect.INHERIT)
                .start();
    }
}
