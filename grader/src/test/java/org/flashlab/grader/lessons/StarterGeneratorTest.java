package org.flashlab.grader.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StarterGeneratorTest {
    private static final String SOLUTION = """
            class A {
                int f() {
                    // BEGIN SOLUTION
                    return 42;
                    // STARTER
                    // // TODO Task 1
                    //
                    // throw new UnsupportedOperationException("Task 1");
                    // END SOLUTION
                }
                // BEGIN SOLUTION

                private int helper() {
                    return 1;
                }
                // END SOLUTION
            }
            """;

    @Test
    void solutionRegionsBecomeStarterStubs() {
        assertThat(StarterGenerator.starter(SOLUTION, "A.java")).isEqualTo("""
                class A {
                    int f() {
                        // TODO Task 1

                        throw new UnsupportedOperationException("Task 1");
                    }
                }
                """);
    }

    @Test
    void aFileWithoutMarkersIsCopied() {
        assertThat(StarterGenerator.starter("class B {}\n", "B.java")).isEqualTo("class B {}\n");
        assertThat(StarterGenerator.starter("class B {}", "B.java")).isEqualTo("class B {}");
    }

    @Test
    void markersThatDoNotPairUpAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> StarterGenerator.starter("// BEGIN SOLUTION\n// BEGIN SOLUTION\n", "X.java"))
                .hasMessageContaining("X.java:2").hasMessageContaining("inside the region opened at line 1");
        assertThatThrownBy(() -> StarterGenerator.starter("// STARTER\n", "X.java")).hasMessageContaining("outside a solution region");
        assertThatThrownBy(() -> StarterGenerator.starter("// END SOLUTION\n", "X.java")).hasMessageContaining("without");
        assertThatThrownBy(() -> StarterGenerator.starter("// BEGIN SOLUTION\nx\n", "X.java")).hasMessageContaining("never closed");
        assertThatThrownBy(() -> StarterGenerator.starter("int x; // BEGIN SOLUTION\n", "X.java")).hasMessageContaining("alone on its line");
        assertThatThrownBy(() -> StarterGenerator.starter("// BEGIN SOLUTION\n// STARTER\nint x;\n// END SOLUTION\n", "X.java"))
                .hasMessageContaining("X.java:3").hasMessageContaining("must be a comment");
    }

    @Test
    void writeAndDifferences(@TempDir Path dir) throws IOException {
        Path solution = Files.createDirectories(dir.resolve("solution/p"));
        Path lesson = dir.resolve("lesson");
        Files.writeString(solution.resolve("A.java"), SOLUTION);
        Files.writeString(solution.resolve("B.java"), "class B {}\n");
        Path solutionRoot = dir.resolve("solution");

        assertThat(StarterGenerator.differences(solutionRoot, lesson))
                .containsExactly("p/A.java: in the solution but missing from the starter",
                        "p/B.java: in the solution but missing from the starter");
        assertThat(StarterGenerator.write(solutionRoot, lesson)).hasSize(2);
        assertThat(StarterGenerator.differences(solutionRoot, lesson)).isEmpty();
        assertThat(StarterGenerator.write(solutionRoot, lesson)).as("nothing to do the second time").isEmpty();

        Files.writeString(lesson.resolve("p/B.java"), "class B { int edited; }\n");
        Files.writeString(lesson.resolve("p/C.java"), "class C {}\n");
        assertThat(StarterGenerator.differences(solutionRoot, lesson)).containsExactly(
                "p/B.java: differs from the solution's starter text (line 1: generated \"class B {}\", committed \"class B { int edited; }\")",
                "p/C.java: in the starter but not in the solution");
        assertThat(StarterGenerator.write(solutionRoot, lesson)).anyMatch(s -> s.startsWith("deleted"));
        assertThat(lesson.resolve("p/C.java")).doesNotExist();
        assertThat(StarterGenerator.differences(solutionRoot, lesson)).isEmpty();
    }
}
