package org.flashlab.grader.grading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.flashlab.grader.lessons.Lesson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a lesson is in what a student hands in: a whole checkout, or the lesson's folder, code or not. */
class WorkspaceTest {
    private static final Path KIT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void aLessonIsFoundInACheckoutOrAsItsOwnFolderEvenWithoutCode() {
        for (String n : new String[] {"03", "06"}) {
            Lesson l = Lesson.find(KIT, n);
            assertThat(Workspace.locate(KIT, l)).isEqualTo(l.dir());
            assertThat(Workspace.locate(l.dir(), l)).isEqualTo(l.dir());
            if (l.hasSolution()) {
                assertThat(Workspace.locate(l.solution(), l)).isEqualTo(l.solution());
            }
        }
    }

    @Test
    void aFolderWithoutTheLessonSaysWhatWasExpected(@TempDir Path empty) {
        Lesson l = Lesson.find(KIT, "06");
        assertThatThrownBy(() -> Workspace.locate(empty, l)).hasMessageContaining("holds no lesson 06-experiments")
                .hasMessageContaining("lessons/06-experiments");
    }
}
