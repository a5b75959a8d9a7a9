package org.flashlab.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flashlab.e2e.Support.QUICK;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The instructors' verbs on a fresh copy: a Gradescope package, a live grade of a solution through
 * that package's run_autograder, a class merged from shards, and the students' export, cloned and
 * built on its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GradingVerbsTest {
    private static final Duration GRADE = Duration.ofMinutes(10);
    private final FreshCopy copy = FreshCopy.get();
    private static Path autograder;

    @Test
    @Order(1)
    @Verb("gradescope-package")
    void thePackageHoldsTheScriptsTheKitAndTheHiddenTestsButNoSolution() throws IOException {
        Support.requireInstructorsKit(copy);
        Path zip = copy.root.resolve("results/gradescope-00.zip");
        FreshCopy.Result r = copy.flashlab(QUICK, "gradescope-package", "--lesson", "00", "--out", zip.toString());
        assertThat(r.exit()).as(r.describe()).isZero();
        List<String> names = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            z.stream().forEach(e -> names.add(e.getName()));
        }
        assertThat(names).contains("setup.sh", "run_autograder", "lesson.txt", "kit/flashlab", "kit/lessons/00-http/rubric.yaml",
                "kit/solutions/00-http/src/hidden/java/org/flashlab/lesson00/IterativeHiddenTest.java",
                "kit/solutions/hidden/java/org/flashlab/hidden/HiddenChecks.java");
        assertThat(names).noneMatch(n -> n.startsWith("kit/solutions/00-http/src/main/"))
                .noneMatch(n -> n.equals("kit/solutions/pom.xml"));
    }

    @Test
    @Order(2)
    @Verb("grade")
    void runAutograderGradesASolutionLiveAndWritesGradescopesResult() throws Exception {
        Support.requireInstructorsKit(copy);
        autograder = Files.createTempDirectory("flashlab-autograder-");
        Files.createDirectories(autograder.resolve("source"));
        Files.createSymbolicLink(autograder.resolve("source/kit"), copy.root);
        Files.writeString(autograder.resolve("source/lesson.txt"), "00\n");
        copyTree(copy.root.resolve("solutions/00-http"), autograder.resolve("submission"));
        Files.writeString(autograder.resolve("submission/ANSWERS.md"), "## 1\nBecause the loop serves one client.\n");

        FreshCopy.Result r = copy.run(GRADE, env -> env.put("AUTOGRADER_ROOT", autograder.toString()),
                List.of("bash", copy.root.resolve("grader/gradescope/run_autograder").toString()));
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).as(r.describe()).contains("flashlab grade: submission, lesson 00-http:");

        JsonNode results = new ObjectMapper().readTree(autograder.resolve("results/results.json").toFile());
        assertThat(results.get("tests")).isNotEmpty();
        for (JsonNode t : results.get("tests")) {
            if (!t.get("name").asText().startsWith("Performance")) {
                assertThat(t.get("status").asText()).as("%s: %s", t.get("name"), t.get("output")).isEqualTo("passed");
                assertThat(t.get("score").asDouble()).isEqualTo(t.get("max_score").asDouble());
            } else {
                assertThat(t.get("output").asText()).as("the performance item, measured live").contains("a ratio of");
            }
        }
        assertThat(results.get("leaderboard")).anySatisfy(b -> assertThat(b.get("name").asText()).isEqualTo("Ratio to the reference"));
        Path out = autograder.resolve("results/flashlab");
        for (String f : List.of("report.html", "classroom.json", "junit.xml", "grade.json", "evidence.json")) {
            assertThat(out.resolve(f)).exists();
        }
        assertThat(Files.readString(out.resolve("report.html"))).contains("Because the loop serves one client.");
        assertThat(running(autograder.toString())).as("processes of the grade still running").isEmpty();
    }

    @Test
    @Order(3)
    @Verb({"roster", "merge"})
    void shardsOfAClassMergeIntoOneSummary() throws IOException {
        Support.requireInstructorsKit(copy);
        Path saved = autograder.resolve("results/flashlab/evidence.json");
        Path prior = Files.createDirectories(autograder.resolve("prior"));
        Path subs = Files.createDirectories(autograder.resolve("subs"));
        for (String name : List.of("ana", "ben", "cho")) {
            Files.createDirectories(subs.resolve(name));
            Files.createDirectories(prior.resolve(name));
            Files.copy(saved, prior.resolve(name).resolve("evidence.json"));
        }
        for (String shard : List.of("1", "2")) {
            FreshCopy.Result r = copy.flashlab(QUICK, "roster", "--lesson", "00", "--submissions", subs.toString(),
                    "--replay", prior.toString(), "--shard", shard + "/2", "--out", autograder.resolve("shard-" + shard).toString());
            assertThat(r.exit()).as(r.describe()).isZero();
        }
        FreshCopy.Result m = copy.flashlab(QUICK, "merge", autograder.resolve("shard-1").toString(),
                autograder.resolve("shard-2").toString(), "--out", autograder.resolve("class").toString());
        assertThat(m.exit()).as(m.describe()).isZero();
        List<String> csv = Files.readAllLines(autograder.resolve("class/class-summary.csv"));
        assertThat(csv).hasSize(4);
        assertThat(csv.get(1)).startsWith("ana,");
        assertThat(autograder.resolve("class/class-summary.html")).exists();
    }

    @Test
    @Order(4)
    @Verb("export-student")
    void theStudentsExportClonesBuildsAndRunsTheCompiledReference() throws Exception {
        Path export = Files.createTempDirectory("flashlab-export-").resolve("kit");
        FreshCopy.Result r = copy.flashlab(QUICK, "export-student", "--out", export.toString());
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(export.resolve("solutions")).doesNotExist();
        assertThat(export.resolve("docs/instructors.md")).doesNotExist();
        assertThat(export.resolve("lessons/03-sped/README.md")).exists();
        try (Stream<Path> files = Files.walk(export.resolve("server/reference"))) {
            List<String> all = files.map(Path::toString).toList();
            assertThat(all).noneMatch(f -> f.endsWith(".java"));
            assertThat(all).anyMatch(f -> f.endsWith("org/flashlab/reference/Main.class"));
        }
        Path clone = export.resolveSibling("clone");
        FreshCopy.Result git = copy.run(QUICK, env -> { }, List.of("git", "clone", "-q", export.toString(), clone.toString()));
        assertThat(git.exit()).as(git.describe()).isZero();
        assertThat(clone.resolve("server/reference/src/main/resources/org/flashlab/reference/Main.class"))
                .as("the compiled reference is committed, not ignored as build output").exists();

        FreshCopy.Result build = copy.run(Duration.ofMinutes(15), env -> { }, List.of(clone.resolve("flashlab").toString(), "build"));
        assertThat(build.exit()).as(build.describe()).isZero();
        FreshCopy.Result help = copy.run(QUICK, env -> { }, List.of(clone.resolve("flashlab").toString(), "server", "--help"));
        assertThat(help.exit()).as(help.describe()).isZero();
        assertThat(help.stdout()).contains("amped");
        FreshCopy.Result lessons = copy.run(QUICK, env -> { }, List.of(clone.resolve("flashlab").toString(), "lessons"));
        assertThat(lessons.exit()).as(lessons.describe()).isZero();
        assertThat(lessons.stdout()).contains("07  Beyond the paper");

        Path bare = export.resolveSibling("bare");
        FreshCopy.Result without = copy.flashlab(QUICK, "export-student", "--out", bare.toString(), "--without-reference");
        assertThat(without.exit()).as(without.describe()).isZero();
        FreshCopy.Result server = copy.run(QUICK, env -> { }, List.of(bare.resolve("flashlab").toString(), "server", "--model", "sped"));
        assertThat(server.exit()).as(server.describe()).isEqualTo(1);
        assertThat(server.stderrLines()).as(server.describe()).hasSize(1).first().asString()
                .contains("this copy of the kit has no reference server");
    }

    /** The processes whose command line names {@code path}. */
    private static List<String> running(String path) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (cmd.contains(path)) {
                        found.add(p.getFileName() + ": " + cmd);
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        }
        return found;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path rel = from.relativize(p);
                if (rel.toString().startsWith("target")) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to.resolve(rel));
                } else {
                    Files.copy(p, to.resolve(rel));
                }
            }
        }
    }
}
