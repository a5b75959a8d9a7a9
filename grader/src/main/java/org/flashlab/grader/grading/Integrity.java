package org.flashlab.grader.grading;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;

/**
 * The static integrity checks: does the submission's bytecode use, or carry, the reference
 * implementation (ArchUnit, on the compiled classes), does it bundle jars, and did it change the
 * provided tests? A submission that starts the reference by name and forwards to it has no such
 * dependency: the probe catches that one by its sockets ({@link Sockets}).
 */
public final class Integrity {
    /** The reference server's packages. */
    static final String REFERENCE = "org.flashlab.reference..";

    private Integrity() {}

    /** What the submission's classes and files show; empty when nothing. */
    public static List<String> referenceUses(Path classes, Path module) throws IOException {
        List<String> found = new ArrayList<>();
        if (Files.isDirectory(classes)) {
            JavaClasses imported = new ClassFileImporter().importPath(classes);
            EvaluationResult uses = noClasses().should().dependOnClassesThat().resideInAPackage(REFERENCE)
                    .because("a submission must be its own work, not the reference's").evaluate(imported);
            uses.getFailureReport().getDetails().stream().limit(20).forEach(found::add);
            EvaluationResult copies = noClasses().should().resideInAPackage(REFERENCE).evaluate(imported);
            copies.getFailureReport().getDetails().stream().limit(20).map(d -> "carries the reference's class: " + d)
                    .forEach(found::add);
        }
        if (Files.isDirectory(module)) {
            try (Stream<Path> files = Files.walk(module)) {
                files.filter(f -> f.toString().endsWith(".jar") && !module.relativize(f).startsWith("target"))
                        .forEach(f -> found.add("bundles a jar: " + module.relativize(f)));
            }
        }
        return found;
    }

    /**
     * The provided tests the submission changed, added or removed, compared with the kit's; nothing when
     * the submission carries no tests at all (a folder of sources only).
     */
    public static List<String> modifiedTests(Path kitTests, Path submissionTests) throws IOException {
        if (!Files.isDirectory(submissionTests) || !Files.isDirectory(kitTests)) {
            return List.of();
        }
        Map<String, String> kit = hashes(kitTests);
        Map<String, String> theirs = hashes(submissionTests);
        List<String> changes = new ArrayList<>();
        kit.forEach((f, h) -> {
            if (!theirs.containsKey(f)) {
                changes.add("removed: src/test/" + f);
            } else if (!theirs.get(f).equals(h)) {
                changes.add("changed: src/test/" + f);
            }
        });
        theirs.keySet().stream().filter(f -> !kit.containsKey(f)).forEach(f -> changes.add("added: src/test/" + f));
        return changes;
    }

    private static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> h = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                h.put(root.relativize(f).toString().replace('\\', '/'), sha256(Files.readAllBytes(f)));
            }
        }
        return h;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
