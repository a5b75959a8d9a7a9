package org.flashlab.grader.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.flashlab.cli.Cli;
import org.flashlab.cli.ExitCode;
import org.flashlab.grader.run.Pinning;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flashlab experiment SPEC-OR-PRESET}: runs an experiment's matrix, saving every run as it
 * ends, then writes its reports. Running the same command again resumes where it stopped.
 */
@Command(name = "flashlab experiment", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        sortOptions = false,
        description = {
                "Runs an experiment (a preset, or a spec file in YAML or JSON) on the servers it names, interleaving them "
                        + "run by run, saving each run as it ends, and writes an HTML report, JSON, CSV and Markdown.",
                "Running the same command again resumes where it stopped; --fresh starts over.",
                "Examples:",
                "  ./flashlab experiment --list",
                "  ./flashlab experiment paper                  the paper's five experiments, quick profile (under 10 min)",
                "  ./flashlab experiment single-file --profile full",
                "  ./flashlab experiment my-spec.yaml --out results/mine"},
        footer = "Exit status: 0 when every server passed its smoke checks and every run was measured, 1 when some "
                + "failed, 2 for a usage mistake or an invalid spec.")
public final class ExperimentCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SPEC", arity = "0..1",
            description = "A preset's name (see --list) or a spec file (.yaml, .yml or .json).")
    String spec;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "quick",
            description = "quick (minutes), full (a real study) or check (seconds, for a smoke test) (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where results and reports go (default: results/NAME-PROFILE in the kit).")
    Path out;

    @Option(names = "--fresh", description = "Discard results saved in the folder instead of resuming.")
    boolean fresh;

    @Option(names = "--plain", description = "Plain lines instead of a progress bar, even in a terminal.")
    boolean plain;

    @Option(names = "--no-pin", description = "Do not pin the servers and the load generator to different cores.")
    boolean noPin;

    @Option(names = "--list", description = "List the presets and stop.")
    boolean list;

    private final PrintStream console = System.out;

    @Override
    public Integer call() throws Exception {
        if (list) {
            for (String name : ExperimentSpec.PRESET_NAMES) {
                ExperimentSpec s = ExperimentSpec.load(name);
                console.printf(Locale.ROOT, "  %-22s %s%n  %-22s profiles: %s%n", name, s.title(), "",
                        String.join(", ", s.include() != null ? List.of("quick", "full", "check") : s.profileNames()));
            }
            return ExitCode.OK.code();
        }
        if (spec == null) {
            throw Cli.usage("name a preset or a spec file (./flashlab experiment --list shows the presets)");
        }
        ExperimentSpec s;
        try {
            s = ExperimentSpec.load(spec);
        } catch (ExperimentSpec.InvalidSpec e) {
            throw Cli.usage(e.getMessage());
        }
        Path dir = out != null ? out : Path.of(System.getProperty("flashlab.home", "."), "results", s.name() + "-" + profile);
        boolean terminal = !plain && System.console() != null && System.console().isTerminal();
        long started = System.nanoTime();
        List<Experiment.Done> done = new ArrayList<>();
        try {
            if (s.include() != null) {
                List<String> names = new ArrayList<>();
                List<ExperimentSpec> children = new ArrayList<>();
                for (String child : s.include()) {
                    ExperimentSpec c = ExperimentSpec.load(resolveInclude(child));
                    if (c.include() != null) {
                        throw Cli.usage(s.name() + ": it includes " + c.name() + ", which includes others: one level only");
                    }
                    c.resolve(profile); // every child has the profile, before any of them runs
                    children.add(c);
                    names.add(c.name());
                }
                Suite.record(dir, s, names, profile);
                for (ExperimentSpec c : children) {
                    done.add(runOne(c, dir.resolve(c.name()), terminal));
                }
            } else {
                done.add(runOne(s, dir, terminal));
            }
        } catch (ExperimentSpec.InvalidSpec e) {
            throw Cli.usage(e.getMessage());
        } catch (IllegalStateException e) {
            throw Cli.usage(e.getMessage()); // results of other settings in the folder
        }
        Path report = Report.write(dir, Report.title(dir));
        long seconds = Math.round((System.nanoTime() - started) / 1e9);
        printConclusions(dir, console);
        int failed = done.stream().mapToInt(Experiment.Done::failed).sum();
        int broken = done.stream().mapToInt(Experiment.Done::broken).sum();
        int leftOut = done.stream().mapToInt(Experiment.Done::leftOut).sum();
        console.printf(Locale.ROOT, "flashlab experiment: %d runs measured this time and %d failed; %d servers failed their "
                        + "smoke checks and %d could not run here; in %d min %d s%n",
                done.stream().mapToInt(Experiment.Done::measured).sum(), failed, broken, leftOut, seconds / 60, seconds % 60);
        console.println("  report: " + report);
        console.println("  also:   " + dir.resolve("results.json") + ", results.csv, summary.md");
        return failed == 0 && broken == 0 ? ExitCode.OK.code() : ExitCode.FAILED.code();
    }

    private String resolveInclude(String child) {
        Path base = Path.of(spec).getParent();
        if (base != null && !ExperimentSpec.PRESET_NAMES.contains(child) && base.resolve(child).toFile().isFile()) {
            return base.resolve(child).toString();
        }
        return child;
    }

    private Experiment.Done runOne(ExperimentSpec s, Path dir, boolean terminal)
            throws ExperimentSpec.InvalidSpec, IOException, InterruptedException {
        ExperimentSpec.Resolved r = s.resolve(profile);
        console.printf(Locale.ROOT, "flashlab experiment: %s (%s profile): %d servers x %d points x %d runs of %s s "
                        + "after %s s warm-up, into %s%n", s.name(), profile, s.servers().size(), r.points().size(),
                r.repetitions(), Experiment.trim(r.durationSeconds()), Experiment.trim(r.warmupSeconds()), dir);
        return new Experiment(r, dir, console, terminal, noPin ? Pinning.NONE : Pinning.byDefault()).run(fresh);
    }

    static void printConclusions(Path dir, PrintStream console) throws IOException {
        for (Path p : Report.experiments(dir)) {
            Analysis a = Analysis.of(p);
            for (Claims.Verdict v : a.verdicts()) {
                console.println("  " + v.outcome().words.toUpperCase(Locale.ROOT) + ": " + v.claim() + " (" + v.evidence() + ")");
            }
        }
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new ExperimentCommand(), args));
    }
}
