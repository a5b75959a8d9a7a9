package org.flashlab.grader.grading;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.flashlab.cli.Cli;
import org.flashlab.cli.ExitCode;
import org.flashlab.grader.lessons.Lesson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `flashlab grade`: one submission, one lesson, every output. */
@Command(name = "flashlab grade", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Grades one submission for one lesson: builds it in a copy of its own with the kit's provided and",
                "hidden tests, runs them, checks its integrity, probes its running server, measures it against the",
                "reference model, applies the lesson's rubric, and writes report.html, results.json (Gradescope),",
                "classroom.json (GitHub Classroom), junit.xml, grade.json and evidence.json.",
                "Exits with 0 when it graded (whatever the score), 1 when it could not, 2 for bad usage."})
public final class GradeCommand implements Callable<Integer> {
    @Option(names = "--lesson", required = true, paramLabel = "N", description = "The lesson: 3, 03, 03-sped or sped.")
    String lessonName;

    @Option(names = "--submission", paramLabel = "DIR",
            description = "A student's checkout of the kit, or the lesson's folder alone.")
    Path submission;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write (default: results/grade-LESSON-NAME).")
    Path out;

    @Option(names = "--name", paramLabel = "NAME", description = "The submission's name in the reports (default: its folder's).")
    String name;

    @Option(names = "--no-performance", description = "Skip the performance measurement (its item scores 0, and says why).")
    boolean noPerformance;

    @Option(names = "--no-earlier", description = "Skip the earlier lessons' tests (regressions; reported, not scored).")
    boolean noEarlier;

    @Option(names = "--no-install", description = "Do not install the kit's modules into ~/.m2 first (a machine's setup did it).")
    boolean noInstall;

    @Option(names = "--evidence", paramLabel = "FILE",
            description = "Grade again from a saved evidence.json, running nothing (after a rubric change, say).")
    Path evidence;

    @Override
    public Integer call() throws Exception {
        Path kit = kit();
        Lesson lesson = GradeCommand.lesson(kit, lessonName);
        if (evidence != null) {
            if (!Files.isRegularFile(evidence)) {
                throw Cli.usage("--evidence " + evidence + ": no such file");
            }
            Evidence e = Evidence.read(evidence);
            Path dir = out != null ? out : evidence.toAbsolutePath().getParent();
            Grade g = Grader.regrade(lesson, e, dir);
            System.out.printf("flashlab grade: %s, lesson %s: %s of %s points; report: %s%n", g.submission(), lesson.name(),
                    Outputs.num(g.score()), Outputs.num(g.autoMax()), dir.resolve(Outputs.HTML));
            return ExitCode.OK.code();
        }
        if (submission == null) {
            throw Cli.usage("say what to grade: --submission DIR (or --evidence FILE to grade saved evidence again)");
        }
        if (!Files.isDirectory(submission)) {
            throw Cli.usage("--submission " + submission + ": no such folder");
        }
        Path dir = submission.toAbsolutePath().normalize();
        String who = name != null ? name : dir.getFileName().toString();
        Path where = out != null ? out : kit.resolve("results").resolve("grade-" + lesson.name() + "-" + who);
        try {
            Workspace.locate(dir, lesson);
        } catch (IllegalArgumentException e) {
            throw Cli.usage(e.getMessage());
        }
        new Grader(kit, System.out).grade(lesson, dir, who, where.toAbsolutePath(),
                new Grader.Options(!noEarlier, !noPerformance, !noInstall));
        return ExitCode.OK.code();
    }

    /** The lesson a user named, or a usage error that lists the lessons there are. */
    static Lesson lesson(Path kit, String name) {
        try {
            return Lesson.find(kit, name);
        } catch (IllegalArgumentException e) {
            throw Cli.usage(e.getMessage());
        }
    }

    static Path kit() {
        return Path.of(System.getProperty("flashlab.home", ".")).toAbsolutePath().normalize();
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new GradeCommand(), args));
    }
}
