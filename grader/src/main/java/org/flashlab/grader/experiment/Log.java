package org.flashlab.grader.experiment;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where an experiment's words go. Every line goes to {@code experiment.log} in the results folder.
 * In a terminal, only what a person must see now (resuming, a server left out, a failed run) goes
 * to the screen, beside the progress bar; when the output is not a terminal (CI, a pipe), every run's
 * line goes there too, so a log reads the same as the file.
 */
final class Log implements AutoCloseable {
    private final PrintStream file;
    private final PrintStream console;
    private final boolean terminal;
    private final PrintStream lines;

    Log(Path path, PrintStream console, boolean terminal) throws IOException {
        this.file = new PrintStream(Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                true, StandardCharsets.UTF_8);
        this.console = console;
        this.terminal = terminal;
        this.lines = terminal ? file : new PrintStream(new Tee(file, console), true, StandardCharsets.UTF_8);
    }

    /** The stream for every run's detail line. */
    PrintStream lines() {
        return lines;
    }

    /** A line for the log and the screen. */
    void say(String line) {
        file.println(line);
        console.println(line);
    }

    /** A line a person must see now; in a terminal it ends the bar's line first. */
    void sayBesideProgress(String line) {
        file.println(line);
        if (terminal) {
            console.println();
            console.println(line);
        }
    }

    @Override
    public void close() {
        file.close();
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
