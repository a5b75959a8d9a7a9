package org.flashlab.grader.grading;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Everything the grader observed about one submission, before any rubric is applied: the build, every
 * test's outcome, the integrity checks, the live probe and the performance measurement. It is saved
 * as {@code evidence.json} beside the grade, so that a changed rubric can be applied again without
 * running anything ({@code flashlab grade --evidence FILE}), and so that a whole class's shards merge
 * exactly.
 *
 * @param lesson     the lesson's folder name, "03-sped"
 * @param submission a name for the submission (its folder's name)
 * @param seconds    how long gathering it took
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Evidence(String lesson, String submission, double seconds, Build build, List<TestCase> tests,
                       Integrity integrity, Probe probe, Measurement performance, List<Answer> answers) {
    public Evidence {
        tests = tests == null ? List.of() : List.copyOf(tests);
        answers = answers == null ? List.of() : List.copyOf(answers);
        integrity = integrity == null ? Integrity.NONE : integrity;
        probe = probe == null ? Probe.notRun("not run") : probe;
        performance = performance == null ? Measurement.notRun("not run") : performance;
    }

    /** The class name of the one "test" that stands for a test run that could not run at all. */
    public static final String RUN_FAILED = "(the test run)";

    /** Whether the submission compiled against the kit, and the compiler's words when it did not. */
    public record Build(boolean ok, String detail) {}

    /** Where a test came from. */
    public enum Origin { PROVIDED, HIDDEN, EARLIER }

    public enum Outcome { PASSED, FAILED, SKIPPED }

    /**
     * One test's outcome.
     *
     * @param lesson  the lesson whose tests it is (an earlier one's, for a regression)
     * @param name    its display name, "servesAFile()" or "contract > [3] GET /missing"
     */
    public record TestCase(Origin origin, String lesson, String className, String name, Outcome outcome, String message) {
        /** "Class#name", as a starter's baseline lists it. */
        public String key() {
            return className.substring(className.lastIndexOf('.') + 1) + "#" + name;
        }
    }

    /**
     * What the integrity checks found; every list empty means nothing.
     *
     * @param referenceUses classes of the submission that use, or are, the reference implementation's
     * @param modifiedTests provided test files the submission changed, added or removed (the grader ran the
     *                      kit's own, so this is reported, not punished)
     * @param notes         other things worth a look that change nothing (jars the build never uses)
     */
    public record Integrity(List<String> referenceUses, List<String> modifiedTests, List<String> notes) {
        static final Integrity NONE = new Integrity(List.of(), List.of(), List.of());

        public Integrity {
            referenceUses = referenceUses == null ? List.of() : List.copyOf(referenceUses);
            modifiedTests = modifiedTests == null ? List.of() : List.copyOf(modifiedTests);
            notes = notes == null ? List.of() : List.copyOf(notes);
        }

        public Integrity(List<String> referenceUses, List<String> modifiedTests) {
            this(referenceUses, modifiedTests, List.of());
        }
    }

    /** The live probe's verdicts. OK is the only good one. */
    public enum Verdict {
        OK("served every request right"),
        NOT_RUN("not run"),
        NEVER_READY("never became ready"),
        CRASHED("crashed while serving"),
        HANGS("stopped answering"),
        WRONG_BYTES("served wrong bytes"),
        BLOCKS("let one stalled client block the others"),
        LEFT_PROCESSES("left processes running after it was stopped"),
        PROXIES("passed requests on to another server");

        public final String words;

        Verdict(String words) {
            this.words = words;
        }
    }

    /**
     * The live probe of the running server.
     *
     * @param served    requests answered right before the verdict
     * @param proxies   connections the server's processes held to other servers (a proxy's tell)
     * @param leftovers processes still running after it was stopped (each killed, then listed here)
     */
    public record Probe(Verdict verdict, String detail, int served, List<String> proxies, List<String> leftovers) {
        public Probe {
            proxies = proxies == null ? List.of() : List.copyOf(proxies);
            leftovers = leftovers == null ? List.of() : List.copyOf(leftovers);
        }

        public static Probe notRun(String why) {
            return new Probe(Verdict.NOT_RUN, why, 0, List.of(), List.of());
        }
    }

    /**
     * The performance measurement: the submission against the reference model, in turns.
     *
     * @param measured false when it could not be measured (detail says why)
     * @param ratio    the mean of the per-pair ratios, yours / reference, with its 95% interval [low, high]
     */
    public record Measurement(boolean measured, String detail, String reference, double ratio, double low, double high,
                              int pairs, double requestsPerSecond, double referenceRequestsPerSecond) {
        public static Measurement notRun(String why) {
            return new Measurement(false, why, null, 0, 0, 0, 0, 0, 0);
        }
    }

    /** A README question and the submission's answer to it (empty when it has none). */
    public record Answer(int number, String question, String answer) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .findAndRegisterModules();

    public void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    public static Evidence read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Evidence.class);
    }
}
