package org.flashlab.grader.grading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.flashlab.cli.Cli;
import org.flashlab.cli.ExitCode;
import org.flashlab.grader.lessons.Lesson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `flashlab gradescope-package`: the zip to upload as a Gradescope programming assignment's
 * autograder. At its root, Gradescope's {@code setup.sh} and {@code run_autograder} (from
 * grader/gradescope); beside them {@code lesson.txt} and {@code kit/}, the kit with the hidden tests
 * but without the solutions' sources, which even the grading machine does not need.
 */
@Command(name = "flashlab gradescope-package", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Writes a Gradescope autograder zip (setup.sh, run_autograder, the kit) that grades one lesson.")
public final class GradescopePackage implements Callable<Integer> {
    @Option(names = "--lesson", required = true, paramLabel = "N", description = "The lesson: 3, 03, 03-sped or sped.")
    String lessonName;

    @Option(names = "--out", paramLabel = "FILE", description = "The zip (default: results/gradescope-LESSON.zip).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path kit = GradeCommand.kit();
        Lesson lesson = GradeCommand.lesson(kit, lessonName);
        Grader.rubric(lesson); // a lesson without a valid rubric cannot be graded: say so now
        Path zip = out != null ? out : kit.resolve("results").resolve("gradescope-" + lesson.name() + ".zip");
        Files.createDirectories(zip.toAbsolutePath().getParent());
        int n = 0;
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String script : List.of("setup.sh", "run_autograder")) {
                add(z, script, Files.readAllBytes(kit.resolve("grader/gradescope").resolve(script)));
            }
            add(z, "lesson.txt", (lesson.number() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (String f : ExportStudent.tracked(kit)) {
                if (f.startsWith("solutions/") && !(f.startsWith("solutions/hidden/") || f.contains("/src/hidden/"))) {
                    continue;
                }
                Path file = kit.resolve(f);
                add(z, "kit/" + f, Files.readAllBytes(file));
                n++;
            }
        }
        System.out.printf("flashlab gradescope-package: lesson %s, %d files of the kit, hidden tests included: %s%n",
                lesson.name(), n, zip);
        return ExitCode.OK.code();
    }

    /** One entry. A zip written by Java keeps no file modes: setup.sh makes the scripts executable. */
    private static void add(ZipOutputStream z, String name, byte[] bytes) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        z.write(bytes);
        z.closeEntry();
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new GradescopePackage(), args));
    }
}
