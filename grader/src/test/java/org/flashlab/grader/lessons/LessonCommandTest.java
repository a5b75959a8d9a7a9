package org.flashlab.grader.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.flashlab.cli.Cli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The student's verbs on a kit in a temporary folder; e2e/ runs them on a real copy of the kit. */
@ResourceLock("System.out")
class LessonCommandTest {
    @TempDir
    Path dir;
    private Path kit;
    private PrintStream realOut;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        kit = LessonTest.kit(dir);
        System.setProperty("flashlab.home", kit.toString());
        realOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() {
        System.setOut(realOut);
        System.clearProperty("flashlab.home");
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listShowsProgressOrHowToGetIt() throws Exception {
        Path progress = Files.createDirectories(kit.resolve("lessons/00-http/target")).resolve("flashlab-progress.json");
        Files.writeString(progress, "{\"label\":\"x\",\"passed\":3,\"failed\":1,\"skipped\":0,\"classes\":[]}");
        assertThat(Cli.execute(new LessonCommand(), "list")).isZero();
        assertThat(output()).containsPattern("00  Lesson 00-http +3 of +4 tests pass \\[#{15}\\.{5}]")
                .contains("03  Lesson 03-sped", "not tested yet: ./flashlab lesson test 03");
        out.reset();
        assertThat(Cli.execute(new LessonCommand(), "list", "--solution")).isZero();
        assertThat(output()).contains("00  Lesson 00-http", "not tested yet").doesNotContain("03-sped");
    }

    @Test
    void generateWritesAndChecksTheStarters() throws Exception {
        Path src = Files.createDirectories(kit.resolve("solutions/00-http/src/main/java/p"));
        Files.writeString(src.resolve("A.java"), "class A {\n    // BEGIN SOLUTION\n    int x;\n    // END SOLUTION\n}\n");
        assertThat(Cli.execute(new LessonCommand(), "generate", "--check")).isEqualTo(1);
        assertThat(output()).contains("00-http: p/A.java: in the solution but missing from the starter");
        assertThat(Cli.execute(new LessonCommand(), "generate")).isZero();
        assertThat(kit.resolve("lessons/00-http/src/main/java/p/A.java")).hasContent("class A {\n}\n");
        out.reset();
        assertThat(Cli.execute(new LessonCommand(), "generate", "--check")).isZero();
        assertThat(output()).contains("00-http: up to date");
    }

    @Test
    void testRunsTheLessonsTestsInAJvmOfTheirOwn() throws Exception {
        Files.createDirectories(kit.resolve("lessons/00-http/target/classes"));
        LessonTestMainTest.fixtureTests(kit.resolve("lessons/00-http/target/test-classes"));
        assertThat(Cli.execute(new LessonCommand(), "test", "00")).isEqualTo(1);
        assertThat(output()).contains("lesson 00-http: SampleChecks", "FAIL  fails with a hint", "summary:",
                "FAIL  00-http", "2 of   7 tests pass", "lessons/00-http/README.md");
        assertThat(kit.resolve("lessons/00-http/target/flashlab-progress.json")).exists();
    }

    @Test
    void namesThatAreNotLessonsAreUsageErrors() {
        assertThat(Cli.execute(new LessonCommand(), "test", "42")).isEqualTo(2);
        assertThat(Cli.execute(new LessonCommand(), "test", "03", "--solution")).isEqualTo(2);
        assertThat(Cli.execute(new LessonCommand())).isEqualTo(2);
        assertThat(Cli.execute(new LessonCommand(), "measure", "00", "--repeat", "1")).isEqualTo(2);
    }

    @Test
    void aLessonThatIsNotBuiltSaysSo() {
        assertThat(Cli.execute(new LessonCommand(), "test", "03", "--only")).isEqualTo(1);
    }

    @Test
    void mutationReportPrintsWhatItHas() throws Exception {
        assertThat(Cli.execute(new LessonCommand(), "mutation-report", "00")).isEqualTo(1);
        assertThat(output()).contains("00-http      no report");
    }

    @Test
    void theServerCommandRunsTheLessonsClassOrAnother() {
        List<String> plain = LessonCommand.serverCommand("03", false, List.of("--no-path-cache"));
        assertThat(plain).containsSubsequence(ServeLesson.class.getName(), "org.example.S3", "--docroot", "{docroot}",
                "--port", "{port}", "--no-path-cache");
        List<String> other = LessonCommand.serverCommand("00", true, List.of("--class", "org.example.Other", "--idle-timeout", "5"));
        assertThat(other).containsSubsequence(ServeLesson.class.getName(), "org.example.Other", "--docroot", "{docroot}",
                "--idle-timeout", "5").doesNotContain("--class", "org.example.S0");
        assertThat(String.join(" ", other)).contains(kit.resolve("solutions/00-http/target/classes").toString());
        assertThatThrownBy(() -> LessonCommand.serverCommand("00", false, List.of("--class")))
                .hasMessage("--class needs a class name");
        assertThatThrownBy(() -> LessonCommand.serverCommand("03", true, List.of()))
                .hasMessageContaining("no solution for lesson 03-sped");
    }

    @Test
    void aLessonWithoutAServerCannotBeServedOrMeasured() throws Exception {
        Path l = Files.createDirectories(kit.resolve("lessons/06-experiments"));
        Files.writeString(l.resolve(Lesson.DESCRIPTOR), "title=Designing experiments\n");
        assertThat(Cli.execute(new LessonCommand(), "server", "06")).isEqualTo(2);
        assertThat(Cli.execute(new LessonCommand(), "measure", "06")).isEqualTo(2);
        assertThatThrownBy(() -> LessonCommand.serverCommand("06", false, List.of()))
                .hasMessageContaining("lesson 06-experiments has no server of its own");
    }
}
