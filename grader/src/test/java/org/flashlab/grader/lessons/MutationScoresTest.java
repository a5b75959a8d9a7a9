package org.flashlab.grader.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MutationScoresTest {
    private static String mutation(String status) {
        return "<mutation detected='x' status='" + status + "' numberOfTestsRun='1'><mutatedClass>A</mutatedClass></mutation>";
    }

    @Test
    void countsAsPitDoes(@TempDir Path dir) throws IOException {
        Path kit = LessonTest.kit(dir);
        Path xml = Files.createDirectories(kit.resolve("solutions/00-http/target/pit-reports")).resolve("mutations.xml");
        Files.writeString(xml, "<?xml version='1.0'?><mutations>" + mutation("KILLED") + mutation("TIMED_OUT")
                + mutation("RUN_ERROR") + mutation("SURVIVED") + mutation("NO_COVERAGE") + "</mutations>");
        MutationScores.Score s = MutationScores.read("00-http", xml);
        assertThat(s).isEqualTo(new MutationScores.Score("00-http", 5, 3, 1, 1));
        assertThat(s.score()).isEqualTo(60.0);
        assertThat(s.strength()).isEqualTo(75.0);
        assertThat(new MutationScores.Score("x", 0, 0, 0, 0).score()).isNaN();

        // A lesson whose solution has no code (lesson 06's work is a spec and conclusions): nothing to mutate.
        Path noCode = Files.createDirectories(kit.resolve("lessons/06-experiments"));
        Files.writeString(noCode.resolve(Lesson.DESCRIPTOR), "title=Designing experiments\n");
        Files.createDirectories(kit.resolve("solutions/06-experiments"));
        Files.writeString(kit.resolve("solutions/06-experiments/pom.xml"), "<project/>");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean all = MutationScores.print(Lesson.all(kit), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(all).isTrue(); // 03-sped has no solution here, so no report is expected
        assertThat(bytes.toString(StandardCharsets.UTF_8)).containsPattern("00-http +5 +3 +1 +1 +60% +75%")
                .containsPattern("06-experiments +no code to mutate");

        Files.delete(xml);
        bytes.reset();
        assertThat(MutationScores.print(Lesson.all(kit), new PrintStream(bytes, true, StandardCharsets.UTF_8))).isFalse();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("00-http      no report");
    }

    @Test
    void aBrokenReportIsAnIOException(@TempDir Path dir) throws IOException {
        Path xml = Files.writeString(dir.resolve("mutations.xml"), "<mutations>");
        assertThatThrownBy(() -> MutationScores.read("x", xml)).isInstanceOf(IOException.class).hasMessageContaining("cannot read");
    }
}
