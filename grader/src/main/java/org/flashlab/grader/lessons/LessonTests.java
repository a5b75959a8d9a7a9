package org.flashlab.grader.lessons;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs a lesson's provided tests against a starter or a solution, in a JVM of its own: its classpath
 * is this JVM's (JUnit, the contract suite, the shared HTTP layer; see {@link ClassPaths}), then the
 * lesson's compiled tests, then the code under test. The lessons' classes have the same names in the starter
 * and the solution, so they can never share one JVM; a fresh JVM per run also means a student's
 * leaked thread or child process dies with it.
 */
public final class LessonTests {
    /** A bound on one lesson's run: its tests have their own timeouts, so this only catches a wedged JVM. */
    static final Duration LIMIT = Duration.ofMinutes(20);

    private LessonTests() {}



    /**
     * Runs the tests and returns their report, after echoing the run's output to {@code out}.
     *
     * @param useSolution test the solution's classes instead of the student's
     */
    public static LessonTestMain.Report run(Lesson lesson, boolean useSolution, PrintStream out)
            throws IOException, InterruptedException {
        return run(lesson, useSolution, out, java.util.Map.of(), List.of());
    }

    /**
     * Runs the tests with extra environment variables (the grader's sandbox tag) and JVM options (the
     * grader's timeout per test).
     */
    public static LessonTestMain.Report run(Lesson lesson, boolean useSolution, PrintStream out,
                                            java.util.Map<String, String> environment, List<String> jvmOptions)
            throws IOException, InterruptedException {
        Path classes = lesson.classes(useSolution);
        // A lesson whose work is not code (06) has no classes of its own: only its tests are needed.
        boolean hasCode = Files.isDirectory((useSolution ? lesson.solution() : lesson.dir()).resolve("src/main/java"));
        for (Path dir : hasCode ? List.of(classes, lesson.testClasses()) : List.of(lesson.testClasses())) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException(dir + " does not exist: build the lesson first (./flashlab lesson test "
                        + lesson.number() + " builds it)");
            }
        }
        Path report = lesson.progressFile(useSolution);
        Files.createDirectories(report.getParent());
        Files.deleteIfExists(report);
        String label = "lesson " + lesson.name() + (useSolution ? " (solution)" : "");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-XX:+EnableDynamicAgentLoading"));
        command.addAll(jvmOptions);
        // Extension autodetection off: a junit-platform.properties among a student's resources must not
        // load extensions of theirs into the run that grades them.
        command.add("-Djunit.jupiter.extensions.autodetection.enabled=false");
        command.addAll(List.of("-cp", ClassPaths.forLesson(hasCode ? List.of(lesson.testClasses(), classes)
                        : List.of(lesson.testClasses())),
                LessonTestMain.class.getName(), lesson.testClasses().toString(), report.toString(), label));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                // In the module under test: a lesson whose tests read files of the student's (lesson
                // 06's spec and conclusions) reads the solution's when the solution is tested.
                .directory((useSolution ? lesson.solution() : lesson.dir()).toFile());
        builder.environment().putAll(environment);
        Process p = builder.start();
        p.getOutputStream().close();
        Thread pump = Thread.ofPlatform().daemon().name("lesson-test-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    // The servers' log goes to a file (LessonTestMain.LOG_FILE); what is here is
                    // the runner's report, plus anything a student's code printed.
                    out.println(line);
                }
            } catch (IOException e) {
                out.println("(the test run's output broke off: " + e + ")");
            }
        });
        if (!p.waitFor(LIMIT.toMinutes(), TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
            pump.join(Duration.ofSeconds(30));
            throw new IllegalStateException(label + ": the tests did not finish within " + LIMIT.toMinutes()
                    + " minutes and were stopped");
        }
        // The output ends when every process holding the pipe has gone: a worker the tests left
        // behind (a supervisor that did not stop its children) would hold it open for ever.
        pump.join(Duration.ofSeconds(30));
        if (pump.isAlive()) {
            out.println("(a process the tests started is still running and holding their output: "
                    + "did a close() leave a child process behind?)");
        }
        if (!Files.exists(report)) {
            throw new IllegalStateException(label + ": the test run ended (status " + p.exitValue()
                    + ") without a report; its output is above");
        }
        return new ObjectMapper().readValue(report.toFile(), LessonTestMain.Report.class);
    }
}
