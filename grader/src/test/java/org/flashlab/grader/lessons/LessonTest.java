package org.flashlab.grader.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LessonTest {
    /** A kit with lessons 00-http and 03-sped, and a solution for 00 only. */
    static Path kit(Path dir) throws IOException {
        for (String name : new String[] {"00-http", "03-sped"}) {
            Path l = Files.createDirectories(dir.resolve("lessons").resolve(name));
            Files.writeString(l.resolve(Lesson.DESCRIPTOR), "title=Lesson " + name + "\nserver=org.example.S" + name.charAt(1)
                    + "\nreference=" + name.substring(3) + "\n");
        }
        Files.createDirectories(dir.resolve("lessons/not-a-lesson"));
        Files.createDirectories(dir.resolve("solutions/00-http/src/main/java"));
        Files.writeString(dir.resolve("solutions/00-http/pom.xml"), "<project/>");
        return dir;
    }

    @Test
    void readsEveryLessonInOrder(@TempDir Path dir) throws IOException {
        Path kit = kit(dir);
        assertThat(Lesson.all(kit)).extracting(Lesson::number, Lesson::title, Lesson::serverClass, Lesson::reference)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("00", "Lesson 00-http", "org.example.S0", "http"),
                        org.assertj.core.groups.Tuple.tuple("03", "Lesson 03-sped", "org.example.S3", "sped"));
        Lesson first = Lesson.all(kit).getFirst();
        assertThat(first.name()).isEqualTo("00-http");
        assertThat(first.hasSolution()).isTrue();
        assertThat(Lesson.all(kit).getLast().hasSolution()).isFalse();
        assertThat(first.classes(false)).isEqualTo(kit.resolve("lessons/00-http/target/classes"));
        assertThat(first.classes(true)).isEqualTo(kit.resolve("solutions/00-http/target/classes"));
        assertThat(first.testClasses()).isEqualTo(kit.resolve("lessons/00-http/target/test-classes"));
        assertThat(first.progressFile(true)).isEqualTo(kit.resolve("solutions/00-http/target/flashlab-progress.json"));
    }

    @Test
    void aLessonHasManyNames(@TempDir Path dir) throws IOException {
        Path kit = kit(dir);
        for (String name : new String[] {"3", "03", "03-sped", "sped"}) {
            assertThat(Lesson.find(kit, name).number()).as(name).isEqualTo("03");
        }
        assertThatThrownBy(() -> Lesson.find(kit, "7")).hasMessage("no lesson '7'; the lessons are 00-http, 03-sped");
        assertThat(Lesson.upTo(kit, Lesson.find(kit, "3"))).extracting(Lesson::number).containsExactly("03", "00");
    }

    @Test
    void aDescriptorWithoutAKeyIsRefused(@TempDir Path dir) throws IOException {
        Path l = Files.createDirectories(dir.resolve("lessons/05-x"));
        Files.writeString(l.resolve(Lesson.DESCRIPTOR), "title=x\nserver=org.example.S\n");
        assertThatThrownBy(() -> Lesson.all(dir)).hasMessageContaining("both 'server' and 'reference', or neither");
        Files.writeString(l.resolve(Lesson.DESCRIPTOR), "server=org.example.S\nreference=sped\n");
        assertThatThrownBy(() -> Lesson.all(dir)).hasMessageContaining("has no 'title'");
        assertThatThrownBy(() -> Lesson.all(dir.resolve("nowhere"))).hasMessageContaining("cannot list the lessons");
    }

    @Test
    void aLessonWithoutAServerSaysSoWhenOneIsNeeded(@TempDir Path dir) throws IOException {
        Path l = Files.createDirectories(dir.resolve("lessons/06-experiments"));
        Files.writeString(l.resolve(Lesson.DESCRIPTOR), "title=Designing experiments\n");
        Lesson lesson = Lesson.find(dir, "06");
        assertThat(lesson.hasServer()).isFalse();
        assertThat(lesson.serverClass()).isNull();
        assertThatThrownBy(lesson::requireServer).hasMessage("lesson 06-experiments has no server of its own (its work is "
                + "described in lessons/06-experiments/README.md); name a lesson with a server");
        assertThat(LessonTest.kit(Files.createDirectory(dir.resolve("kit"))).resolve("lessons")).isDirectory();
        assertThat(Lesson.find(dir.resolve("kit"), "03").requireServer()).isEqualTo("org.example.S3");
    }
}
