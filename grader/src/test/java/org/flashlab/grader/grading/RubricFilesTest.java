package org.flashlab.grader.grading;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.flashlab.grader.lessons.Lesson;
import org.junit.jupiter.api.Test;

/** Every lesson's rubric is valid, names every one of its tests (provided and hidden), and adds up to 100. */
class RubricFilesTest {
    private static final Path KIT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyLessonsRubricScoresEveryTestAndAddsUpToAHundred() throws IOException {
        List<Lesson> lessons = Lesson.all(KIT);
        assertThat(lessons).hasSizeGreaterThanOrEqualTo(8);
        for (Lesson l : lessons) {
            Rubric r = Grader.rubric(l);
            assertThat(r.total()).as("the points of %s", l.name()).isEqualTo(100);
            assertThat(r.performance() != null).as("%s has a server, so a performance item", l.name()).isEqualTo(l.hasServer());
            List<Path> roots = new java.util.ArrayList<>(List.of(l.dir().resolve("src/test/java")));
            roots.addAll(Grader.hiddenTests(l));
            for (Path root : roots) {
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path f : files.filter(p -> p.getFileName().toString().endsWith("Test.java")).toList()) {
                        String cls = root.relativize(f).toString().replace('/', '.').replace(".java", "");
                        assertThat(r.groupOf(cls)).as("the rubric group of %s in %s", cls, l.name()).isNotNull();
                    }
                }
            }
        }
    }

    @Test
    void aRubricWithMistakesSaysWhatTheyAre() {
        Rubric bad = new Rubric(List.of(new Rubric.Group("Bad Id", "x", List.of(), -1, "unit", "sometimes")), null,
                new Rubric.Performance(10, 0.2, 0.5, 0, 10, false, 1, 1, null), null);
        assertThat(bad.problems()).hasSize(8);
    }
}
