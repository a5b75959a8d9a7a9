package org.flashlab.grader.experiment;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How far an experiment has got, and how long it has left: a progress bar with an ETA in a terminal
 * (me.tongfei's progressbar), a plain line per run elsewhere. Runs saved by an earlier session
 * count as done, and the ETA is reckoned from this session's pace only.
 */
abstract class Progress implements AutoCloseable {
    abstract void step(String what);

    @Override
    public abstract void close();

    static Progress start(String task, int total, int already, boolean terminal, PrintStream console) {
        if (terminal) {
            ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                    .startsFrom(already, Duration.ZERO).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(console)).setUpdateIntervalMillis(500)
                    .setUnit(" runs", 1).build();
            return new Progress() {
                @Override
                void step(String what) {
                    bar.step();
                    bar.setExtraMessage(what);
                }

                @Override
                public void close() {
                    bar.close();
                }
            };
        }
        return new Plain(task, total, already, console);
    }

    /** A line per run: "[12/48, about 3 min left] single-file: sped @ 1k". */
    static final class Plain extends Progress {
        private final String task;
        private final int total;
        private final PrintStream console;
        private final long started = System.nanoTime();
        private final int from;
        private int done;

        Plain(String task, int total, int already, PrintStream console) {
            this.task = task;
            this.total = total;
            this.from = already;
            this.done = already;
            this.console = console;
        }

        @Override
        void step(String what) {
            done++;
            console.printf(Locale.ROOT, "[%d/%d, %s] %s: %s%n", done, total, eta(), task, what);
        }

        String eta() {
            int mine = done - from;
            if (mine == 0) {
                return "starting";
            }
            long left = (long) ((System.nanoTime() - started) / 1e9 / mine * (total - done));
            return left < 60 ? "about " + left + " s left" : String.format(Locale.ROOT, "about %d min left", (left + 30) / 60);
        }

        @Override
        public void close() {
            // plain lines end with their run
        }
    }
}
