package org.flashlab.grader.grading;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.flashlab.cli.Cli;
import org.flashlab.cli.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `flashlab merge`: the shards' outputs, joined into one class summary. */
@Command(name = "flashlab merge", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Joins the outputs of roster shards (each a folder with a folder per submission) into one class",
                "summary: class-summary.html, class-summary.csv and class-summary.json."})
public final class MergeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", arity = "1..*", description = "The shards' output folders.")
    List<Path> shards;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write (default: results/class).")
    Path out;

    @Override
    public Integer call() throws Exception {
        for (Path s : shards) {
            if (!Files.isDirectory(s)) {
                throw Cli.usage(s + ": no such folder (give the folders roster wrote)");
            }
        }
        ClassSummary summary;
        try {
            summary = ClassSummary.of(shards);
        } catch (IllegalArgumentException e) {
            throw Cli.usage(e.getMessage());
        }
        Path dir = out != null ? out : GradeCommand.kit().resolve("results").resolve("class");
        summary.write(dir);
        System.out.printf("flashlab merge: %d submissions from %d shards; class summary: %s%n", summary.students().size(),
                shards.size(), dir.resolve(ClassSummary.HTML));
        return ExitCode.OK.code();
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new MergeCommand(), args));
    }
}
