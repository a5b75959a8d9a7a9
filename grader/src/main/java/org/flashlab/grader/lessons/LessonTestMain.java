package org.flashlab.grader.lessons;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs one lesson's tests in this JVM and reports them for a person: a line per test, and under a
 * failure its message, which in the lessons' tests says what was expected, what the server did, and
 * where in the README to look. {@link LessonTests} starts it in a JVM of its own, whose classpath
 * holds the code under test (a starter or a solution), so that two lessons' classes never meet.
 *
 * Usage: {@code LessonTestMain TEST_CLASSES_DIR REPORT_JSON LABEL}. Exit status 0 when every test
 * passed, 1 otherwise.
 */
public final class LessonTestMain {
    /** The lines of a failure's message shown under it; the rest is in the report file. */
    private static final int MESSAGE_LINES = 8;

    /** The servers' log during a run, beside the report: their stack traces would drown the report. */
    static final String LOG_FILE = "flashlab-test.log";

    private LessonTestMain() {}

    /** Sends everything logged through System.Logger (java.util.logging underneath) to a file. */
    private static void logTo(Path file) throws IOException {
        java.util.logging.LogManager.getLogManager().reset();
        java.util.logging.FileHandler handler = new java.util.logging.FileHandler(file.toString());
        handler.setFormatter(new java.util.logging.SimpleFormatter());
        java.util.logging.Logger.getLogger("").addHandler(handler);
    }

    /** One test class's results. */
    public record ClassResult(String name, int passed, int failed, int skipped, List<Failure> failures,
                              List<String> passedTests, List<Failure> skippedTests) {
        public ClassResult {
            failures = failures == null ? List.of() : failures;
            passedTests = passedTests == null ? List.of() : passedTests;
            skippedTests = skippedTests == null ? List.of() : skippedTests;
        }
    }

    /** One failed test: its name and its message. */
    public record Failure(String test, String message) {}

    /** A whole run, as the report file holds it. */
    public record Report(String label, int passed, int failed, int skipped, List<ClassResult> classes) {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: LessonTestMain TEST_CLASSES_DIR REPORT_JSON LABEL");
            System.exit(2);
        }
        Path log = Path.of(args[1]).resolveSibling(LOG_FILE);
        logTo(log);
        Report report = run(Path.of(args[0]), args[2], System.out);
        if (report.failed() > 0) {
            System.out.println("(what the servers logged while the tests ran: " + log + ")");
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(args[1]).toFile(), report);
        System.exit(report.failed() == 0 && report.passed() > 0 ? 0 : 1);
    }

    static Report run(Path testClasses, String label, PrintStream out) {
        Map<String, int[]> counts = new LinkedHashMap<>(); // class -> passed, failed, skipped
        Map<String, List<Failure>> failures = new LinkedHashMap<>();
        Map<String, List<String>> passes = new LinkedHashMap<>();
        Map<String, List<Failure>> skips = new LinkedHashMap<>();
        TestExecutionListener listener = new TestExecutionListener() {
            private TestPlan plan;

            @Override
            public void testPlanExecutionStarted(TestPlan testPlan) {
                plan = testPlan;
            }

            @Override
            public void executionStarted(TestIdentifier id) {
                if (id.getSource().filter(ClassSource.class::isInstance).isPresent() && id.isContainer()) {
                    String cls = className(id);
                    if (!counts.containsKey(cls)) {
                        out.println();
                        out.println(label + ": " + simpleName(cls));
                        counts.put(cls, new int[3]);
                        failures.put(cls, new ArrayList<>());
                    }
                }
            }

            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                String cls = className(id);
                if (cls == null) {
                    return;
                }
                counts.computeIfAbsent(cls, k -> new int[3])[2]++;
                skips.computeIfAbsent(cls, k -> new ArrayList<>()).add(new Failure(name(id), reason));
                out.println("  skip  " + name(id) + ": " + reason);
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                String cls = className(id);
                if (cls == null) {
                    return;
                }
                int[] c = counts.computeIfAbsent(cls, k -> new int[3]);
                List<Failure> f = failures.computeIfAbsent(cls, k -> new ArrayList<>());
                boolean ok = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
                if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
                    // An assumption said the test does not apply here (a check for another architecture).
                    if (id.isTest()) {
                        c[2]++;
                        String why = result.getThrowable().map(t -> firstLine(t.getMessage())).orElse("(no reason given)");
                        skips.computeIfAbsent(cls, k -> new ArrayList<>()).add(new Failure(name(id), why));
                        out.println("  skip  " + name(id) + ": " + why);
                    }
                    return;
                }
                if (id.isTest()) {
                    if (ok) {
                        c[0]++;
                        passes.computeIfAbsent(cls, k -> new ArrayList<>()).add(name(id));
                        out.println("  ok    " + name(id));
                    } else {
                        c[1]++;
                        report(f, name(id), result);
                    }
                } else if (!ok) {
                    // A class or a parameterized test that could not run at all (its server did not
                    // start, say): each test below it that never ran counts as failed.
                    List<TestIdentifier> neverRan = plan.getDescendants(id).stream()
                            .filter(d -> d.getSource().filter(MethodSource.class::isInstance).isPresent())
                            .filter(d -> d.isTest() || plan.getChildren(d).isEmpty())
                            .toList();
                    long never = neverRan.size();
                    c[1] += (int) Math.max(1, never);
                    report(f, name(id) + (never > 1 ? " (" + never + " tests could not run)" : ""), result);
                    if (never > 1) {
                        // One line printed, but a failure recorded for each test, so that a grade counts them all.
                        Failure whole = f.removeLast();
                        neverRan.forEach(d -> f.add(new Failure(name(d), whole.message())));
                    }
                }
            }

            private void report(List<Failure> f, String test, TestExecutionResult result) {
                String message = result.getThrowable().map(LessonTestMain::describe).orElse("(no detail)");
                f.add(new Failure(test, message));
                out.println("  FAIL  " + test);
                message.lines().limit(MESSAGE_LINES).forEach(line -> out.println("          " + line));
                if (message.lines().count() > MESSAGE_LINES) {
                    out.println("          ...");
                }
            }

            /** "parent > case" for a parameterized case, so that "[1] GET /" says which test it is. */
            private String name(TestIdentifier id) {
                return plan.getParent(id)
                        .filter(p -> p.getSource().filter(MethodSource.class::isInstance).isPresent())
                        .map(p -> p.getDisplayName() + " > " + id.getDisplayName())
                        .orElse(id.getDisplayName());
            }
        };
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClasspathRoots(Set.of(testClasses)))
                .build();
        // Only JUnit Jupiter, and none of the listeners, filters or engines that ServiceLoader would find:
        // the code under test is on this class path, and a PostDiscoveryFilter of a student's could
        // quietly drop the tests it fails.
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestEngineAutoRegistration(false)
                .enableLauncherSessionListenerAutoRegistration(false)
                .enableLauncherDiscoveryListenerAutoRegistration(false)
                .enableTestExecutionListenerAutoRegistration(false)
                .enablePostDiscoveryFilterAutoRegistration(false)
                .addTestEngines(jupiter())
                .build());
        launcher.execute(request, listener);

        List<ClassResult> classes = new ArrayList<>();
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            int[] c = e.getValue();
            classes.add(new ClassResult(e.getKey(), c[0], c[1], c[2], List.copyOf(failures.getOrDefault(e.getKey(), List.of())),
                    List.copyOf(passes.getOrDefault(e.getKey(), List.of())), List.copyOf(skips.getOrDefault(e.getKey(), List.of()))));
            passed += c[0];
            failed += c[1];
            skipped += c[2];
        }
        out.println();
        out.printf("%s: %d passed, %d failed%s%n", label, passed, failed, skipped > 0 ? ", " + skipped + " skipped" : "");
        return new Report(label, passed, failed, skipped, classes);
    }

    /**
     * JUnit Jupiter's engine, by name: it is a runtime dependency, not one to compile against. The kit's
     * jars come first on this class path ({@link ClassPaths}), so this is JUnit's own class.
     */
    private static org.junit.platform.engine.TestEngine jupiter() {
        try {
            return (org.junit.platform.engine.TestEngine) Class.forName("org.junit.jupiter.engine.JupiterTestEngine")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("JUnit Jupiter's engine is missing from the class path", e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no reason given)";
        }
        String m = message.replaceFirst("^Assumption failed: ", "").strip();
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline);
    }

    /** The test class a test or container belongs to, or null for the engine itself. */
    private static String className(TestIdentifier id) {
        return id.getSource().map(s -> switch (s) {
            case ClassSource c -> c.getClassName();
            case MethodSource m -> m.getClassName();
            default -> null;
        }).orElse(null);
    }

    private static String simpleName(String cls) {
        return cls.substring(cls.lastIndexOf('.') + 1);
    }

    /** The exception's type and message; an assertion's message is the whole story, so it goes alone. */
    static String describe(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage().strip();
        if (t instanceof AssertionError && !message.isEmpty()) {
            return message;
        }
        String text = t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
        if (t.getCause() != null && t.getCause() != t) {
            text += "\ncaused by " + describe(t.getCause());
        }
        return text;
    }
}
