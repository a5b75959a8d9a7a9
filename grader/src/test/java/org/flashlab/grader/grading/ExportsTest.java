package org.flashlab.grader.grading;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.flashlab.cli.Cli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What leaves the instructor's kit: the students' repository (with the reference compiled, or
 * without it) and the Gradescope package. No solution's source and no hidden test ever reaches a
 * student; the package carries the hidden tests and no solution. (The e2e test clones and builds an
 * export; this one checks what is in it.)
 */
class ExportsTest {
    private static final Path KIT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private String home;

    @BeforeEach
    void kit() {
        home = System.getProperty("flashlab.home");
        System.setProperty("flashlab.home", KIT.toString());
    }

    @AfterEach
    void restore() {
        if (home == null) {
            System.clearProperty("flashlab.home");
        } else {
            System.setProperty("flashlab.home", home);
        }
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).filter(p -> !p.startsWith(".git/"))
                    .toList();
        }
    }

    @Test
    void theStudentsCopyHasTheReferenceCompiledAndNothingOfTheInstructors() throws IOException {
        Path out = dir.resolve("students");
        assertThat(Cli.execute(new ExportStudent(), "--out", out.toString())).isZero();
        List<String> files = files(out);
        assertThat(files).contains("flashlab", "lessons/03-sped/README.md", "lessons/03-sped/rubric.yaml",
                "server/contract/pom.xml", "grader/pom.xml", "server/reference/pom.xml",
                "server/reference/src/main/resources/org/flashlab/reference/Main.class",
                "server/reference/src/main/resources/.gitignore");
        assertThat(files).noneMatch(f -> f.startsWith("solutions/")).noneMatch(f -> f.endsWith("HiddenTest.java"))
                .noneMatch(f -> f.startsWith("server/reference/") && f.endsWith(".java"))
                .doesNotContain("docs/instructors.md").noneMatch(f -> f.startsWith("docs/grading/"))
                .noneMatch(f -> f.startsWith("grader/gradescope/"));
        assertThat(Files.isExecutable(out.resolve("flashlab"))).isTrue();
        assertThat(out.resolve(".git")).isDirectory();
        assertThat(Cli.execute(new ExportStudent(), "--out", out.toString())).as("a folder that is not empty").isEqualTo(2);
    }

    @Test
    void withoutTheReferenceItsModuleAndTheTestsThatStartItAreLeftOut() throws IOException {
        Path out = dir.resolve("bare");
        assertThat(Cli.execute(new ExportStudent(), "--out", out.toString(), "--without-reference")).isZero();
        List<String> files = files(out);
        assertThat(files).noneMatch(f -> f.startsWith("server/reference/")).noneMatch(f -> f.startsWith("e2e/"))
                .noneMatch(f -> f.contains("grading/cheat/"));
        assertThat(Files.readString(out.resolve("server/pom.xml"))).doesNotContain("<module>reference</module>");
        assertThat(Files.readString(out.resolve("pom.xml"))).doesNotContain("<module>e2e</module>");
        for (String pom : List.of("grader/pom.xml", "coverage/pom.xml")) {
            assertThat(Files.readString(out.resolve(pom))).as(pom).doesNotContain("<artifactId>flashlab-server</artifactId>")
                    .contains("<artifactId>flashlab-contract</artifactId>");
        }
    }

    @Test
    void theGradescopePackageHasTheScriptsTheKitAndTheHiddenTestsOnly() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(KIT.resolve("grader/gradescope")),
                "the Gradescope scripts are instructors' material: a student's copy of the kit has none");
        Path zip = dir.resolve("gs.zip");
        assertThat(Cli.execute(new GradescopePackage(), "--lesson", "03", "--out", zip.toString())).isZero();
        List<String> names = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            z.stream().forEach(e -> names.add(e.getName()));
            assertThat(new String(z.getInputStream(z.getEntry("lesson.txt")).readAllBytes())).isEqualTo("03\n");
        }
        assertThat(names).contains("setup.sh", "run_autograder", "kit/lessons/03-sped/rubric.yaml",
                "kit/solutions/03-sped/src/hidden/java/org/flashlab/lesson03/SpedHiddenTest.java");
        assertThat(names).filteredOn(n -> n.startsWith("kit/solutions/"))
                .allMatch(n -> n.contains("/src/hidden/") || n.startsWith("kit/solutions/hidden/"));
        assertThat(Cli.execute(new GradescopePackage(), "--lesson", "42")).isEqualTo(2);
    }
}
