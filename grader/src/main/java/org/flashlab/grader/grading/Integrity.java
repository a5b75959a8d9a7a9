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
                    .because("a submission must be its own work, not the reference's")
                    .allowEmptyShould(true) // a submission that did not compile has no classes to check
                    .evaluate(imported);
            uses.getFailureReport().getDetails().stream().limit(20).forEach(found::add);
            EvaluationResult copies = noClasses().should().resideInAPackage(REFERENCE).allowEmptyShould(true).evaluate(imported);
            copies.getFailureReport().getDetails().stream().limit(20).map(d -> "carries the reference's class: " + d)
                    .forEach(found::add);
        }
        // A class loaded by name leaves no dependency for ArchUnit: its name is a string in the constant pool.
        if (Files.isDirectory(classes)) {
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                    String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                    if (text.contains("org.flashlab.reference") || text.contains("org/flashlab/reference")) {
                        found.add("names the reference's classes: " + classes.relativize(f)
                                + " (a class loaded by name runs the reference as the submission's own)");
                    }
                }
            }
        }
        for (Path jar : jars(module)) {
            try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(jar.toFile())) {
                if (z.stream().anyMatch(e -> e.getName().startsWith("org/flashlab/reference/"))) {
                    found.add("bundles the reference's classes in a jar: " + module.relativize(jar));
                }
            } catch (IOException e) {
                // not a zip at all: the jars() note reports it
            }
        }
        return found;
    }

    /**
     * Jars the submission carries, which the grader's build never puts on a class path (it uses the
     * kit's POM): reported for a look, not punished.
     */
    public static List<String> notes(Path module) throws IOException {
        List<String> notes = new ArrayList<>(jars(module).stream().map(j -> "carries a jar (unused: the grader builds with "
                + "the kit's POM): " + module.relativize(j)).toList());
        // The test platform's configuration among a student's resources: the grader turns off what these
        // could switch on, but a lesson has no reason to carry them.
        Path resources = module.resolve("src/main/resources");
        if (Files.isDirectory(resources)) {
            try (Stream<Path> files = Files.walk(resources)) {
                files.filter(Files::isRegularFile).map(resources::relativize).map(p -> p.toString().replace('\\', '/'))
                        .filter(p -> p.equals("junit-platform.properties") || p.startsWith("META-INF/services/"))
                        .sorted().forEach(p -> notes.add("configures the test platform: src/main/resources/" + p));
            }
        }
        return notes;
    }

    private static List<Path> jars(Path module) throws IOException {
        if (!Files.isDirectory(module)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(module)) {
            return files.filter(f -> f.toString().endsWith(".jar") && !module.relativize(f).startsWith("target")).sorted().toList();
        }
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
