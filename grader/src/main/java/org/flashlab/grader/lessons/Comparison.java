package org.flashlab.grader.lessons;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.flashlab.grader.load.Expected;
import org.flashlab.grader.load.LoadSpec;
import org.flashlab.grader.load.RequestMix;
import org.flashlab.grader.run.Pinning;
import org.flashlab.grader.run.Runner;
import org.flashlab.grader.run.Stats;
import org.flashlab.grader.workload.Dataset;

/**
 * A student's server against a reference, in turns (yours, the reference, yours, ...), on one file:
 * `flashlab lesson measure` prints it, and the grader scores it. Each pair of runs gives a ratio, so a
 * slow minute on the machine hits both servers alike, and who goes first alternates; a pair in which either server failed or sent a
 * wrong byte is left out, and said so.
 *
 * @param ours     requests per second of the good pairs, the student's server
 * @param theirs   the same pairs, the reference's
 * @param ratios   ours / theirs, pair by pair
 * @param failures what went wrong in the pairs left out
 */
public record Comparison(double[] ours, double[] theirs, double[] ratios, List<String> failures) {
    /** What both servers are measured on. */
    public record Workload(int connections, long size, boolean keepAlive, double durationSeconds, int repeat) {}

    /** The ratio's statistics: mean and 95% interval over the pairs. */
    public Stats ratio() {
        return Stats.of(ratios);
    }

    public static Comparison run(Runner.ServerCommand student, Runner.ServerCommand reference, Workload w, Pinning pinning,
                                 PrintStream out) throws IOException, InterruptedException {
        Path root = Files.createTempDirectory("flashlab-measure-");
        try {
            Dataset d = Dataset.singleFile(root, w.size(), 1999);
            RequestMix mix = RequestMix.single(d.files().getFirst().path(), Expected.ofFile(d.paths().getFirst()));
            LoadSpec load = new LoadSpec(URI.create("http://127.0.0.1/"), w.connections(), 1,
                    Duration.ofMillis((long) (w.durationSeconds() * 1000)), Duration.ofSeconds(1), 0, w.keepAlive(), 1,
                    Duration.ofSeconds(2), Duration.ofMillis(100), null);
            Runner runner = new Runner(out);
            double[] ours = new double[w.repeat()];
            double[] theirs = new double[w.repeat()];
            double[] ratios = new double[w.repeat()];
            int good = 0;
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < w.repeat(); i++) {
                // Who goes first alternates (yours, the reference; the reference, yours; ...): a server
                // that always ran first would always meet the colder caches.
                Runner.Plan yourRun = new Runner.Plan(student, root, load, mix, 1, pinning, d.paths(), -1, false, Duration.ofSeconds(90));
                Runner.Plan refRun = new Runner.Plan(reference, root, load, mix, 1, pinning, d.paths(), -1, false, Duration.ofSeconds(90));
                Runner.Outcome a;
                Runner.Outcome b;
                if (i % 2 == 0) {
                    a = runner.run(yourRun);
                    b = runner.run(refRun);
                } else {
                    b = runner.run(refRun);
                    a = runner.run(yourRun);
                }
                failures.addAll(a.failures());
                failures.addAll(b.failures());
                double mine = a.requestsPerSecond().mean();
                double refRate = b.requestsPerSecond().mean();
                if (a.failures().isEmpty() && b.failures().isEmpty() && a.errors() == 0 && b.errors() == 0
                        && refRate > 0 && Double.isFinite(mine / refRate)) {
                    ours[good] = mine;
                    theirs[good] = refRate;
                    ratios[good] = mine / refRate;
                    good++;
                } else if (a.errors() > 0 || b.errors() > 0) {
                    failures.add("run " + (i + 1) + ": wrong or missing answers (" + student.label() + ": " + a.errors()
                            + ", " + reference.label() + ": " + b.errors() + "); the pair is left out");
                }
            }
            return new Comparison(Arrays.copyOf(ours, good), Arrays.copyOf(theirs, good), Arrays.copyOf(ratios, good),
                    List.copyOf(failures));
        } finally {
            Dataset.delete(root);
        }
    }
}
