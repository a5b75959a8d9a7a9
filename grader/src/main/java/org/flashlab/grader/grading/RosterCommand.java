package org.flashlab.grader.grading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.flashlab.cli.Cli;
import org.flashlab.cli.ExitCode;
import org.flashlab.grader.lessons.Lesson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `flashlab roster`: a whole class, or one shard of it. The submissions are the folders in a
 * directory, sorted by name; shard i of N takes every N-th from the i-th, so shards are fixed by the
 * names alone and any engine can run them anywhere. Each shard measures the reference on its own
 * machine, in the same run, so the ratios it records compare across machines. A submission that
 * cannot be graded is recorded as such, and the others go on.
 */
@Command(name = "flashlab roster", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Grades every submission in a folder (or one shard of them) for one lesson, a folder of",
                "outputs each, then writes the class summary of what it graded. 'flashlab merge' joins shards."})
public final class RosterCommand implements Callable<Integer> {
    public static final String SHARD_FILE = "roster.json";

    @Option(names = "--lesson", required = true, paramLabel = "N", description = "The lesson: 3, 03, 03-sped or sped.")
    String lessonName;

    @Option(names = "--submissions", required = true, paramLabel = "DIR", description = "A folder of submissions, one folder each.")
    Path submissions;

    @Option(names = "--shard", paramLabel = "i/N", description = "Grade only shard i of N (1-based), for one machine of many.")
    String shard;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write (default: results/roster-LESSON[-shard-i-of-N]).")
    Path out;

    @Option(names = "--no-performance", description = "Skip the performance measurements.")
    boolean noPerformance;

    @Option(names = "--no-install", description = "Do not install the kit's modules first (the machine's setup did it).")
    boolean noInstall;

    @Option(names = "--replay", paramLabel = "DIR",
            description = "Grade again from the evidence an earlier roster saved in DIR (DIR/NAME/evidence.json), running nothing.")
    Path replay;

    @Override
    public Integer call() throws Exception {
        Path kit = GradeCommand.kit();
        Lesson lesson = GradeCommand.lesson(kit, lessonName);
        if (!Files.isDirectory(submissions)) {
            throw Cli.usage("--submissions " + submissions + ": no such folder");
        }
        int[] s = parseShard(shard);
        List<Path> mine = shardOf(list(submissions), s[0], s[1]);
        Path dir = (out != null ? out : kit.resolve("results").resolve("roster-" + lesson.name()
                + (shard == null ? "" : "-shard-" + s[0] + "-of-" + s[1]))).toAbsolutePath();
        Files.createDirectories(dir);
        System.out.printf("flashlab roster: lesson %s, %d submissions%s, into %s%n", lesson.name(), mine.size(),
                shard == null ? "" : " (shard " + s[0] + " of " + s[1] + ")", dir);
        Grader grader = new Grader(kit, System.out);
        if (replay == null && !noInstall) {
            try {
                grader.installKit(lesson, dir); // once: a kit that does not build is no student's problem
            } catch (IOException e) {
                throw Cli.failure(e.getMessage());
            }
        }
        List<String> names = new ArrayList<>();
        int failed = 0;
        for (Path sub : mine) {
            String name = sub.getFileName().toString();
            names.add(name);
            Path into = dir.resolve(name);
            Workspace.deleteTree(into); // a stale grade must not outlive a run that could not grade
            try {
                if (replay != null) {
                    Grader.regrade(lesson, Evidence.read(replay.resolve(name).resolve(Outputs.EVIDENCE)), into);
                } else {
                    grader.grade(lesson, sub.toAbsolutePath(), name, into, new Grader.Options(true, !noPerformance, false));
                }
            } catch (IOException | RuntimeException e) {
                // Recorded, and the class goes on: a broken folder is one student's problem.
                failed++;
                Files.createDirectories(into);
                Files.writeString(into.resolve("not-graded.txt"), "could not be graded: " + e.getMessage() + "\n");
                System.out.println("flashlab roster: " + name + " could not be graded: " + e.getMessage());
            }
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("lesson", lesson.name());
        record.put("shard", shard == null ? "1/1" : s[0] + "/" + s[1]);
        record.put("submissions", names);
        record.put("of", list(submissions).size());
        Outputs.JSON.writeValue(dir.resolve(SHARD_FILE).toFile(), record);
        ClassSummary summary = ClassSummary.of(List.of(dir), false);
        summary.write(dir);
        System.out.printf("flashlab roster: %d graded, %d could not be; class summary: %s%n", names.size() - failed, failed,
                dir.resolve(ClassSummary.HTML));
        return ExitCode.OK.code();
    }

    /** The submissions: the folders in {@code dir}, by name, hidden ones left out. */
    static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }

    /** Shard {@code i} of {@code n} (1-based): every n-th submission from the i-th. */
    static List<Path> shardOf(List<Path> all, int i, int n) {
        List<Path> mine = new ArrayList<>();
        for (int k = i - 1; k < all.size(); k += n) {
            mine.add(all.get(k));
        }
        return mine;
    }

    static int[] parseShard(String shard) {
        if (shard == null) {
            return new int[] {1, 1};
        }
        String[] p = shard.split("/");
        try {
            int i = Integer.parseInt(p[0].strip());
            int n = Integer.parseInt(p[1].strip());
            if (p.length == 2 && n >= 1 && i >= 1 && i <= n) {
                return new int[] {i, n};
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // the usage error below says what is expected
        }
        throw Cli.usage("--shard " + shard + ": expected i/N with 1 <= i <= N, such as 1/4");
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new RosterCommand(), args));
    }
}
