package org.flashlab.grader.grading;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The static integrity checks: the reference's classes used or carried, and the provided tests changed. */
class IntegrityTest {
    private static final Path TEST_CLASSES = Path.of("target/test-classes/org/flashlab/grader/grading");

    @TempDir
    Path dir;

    @Test
    void aClassThatUsesTheReferenceIsFound() throws IOException {
        assertThat(Integrity.referenceUses(TEST_CLASSES.resolve("cheat"), dir))
                .anySatisfy(u -> assertThat(u).contains("UsesReference").contains("org.flashlab.reference.sped.SpedServer"));
        assertThat(Integrity.referenceUses(TEST_CLASSES.resolve("broken"), dir))
                .as("a server that starts the reference by name: no dependency, but the name is in its class file")
                .singleElement().asString().contains("ProxiesReference.class");
    }

    @Test
    void aJarWithTheReferencesClassesIsFoundAndAnyOtherJarIsOnlyNoted() throws IOException {
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(dir.resolve("lib.jar")))) {
            jar.putNextEntry(new JarEntry("org/flashlab/reference/Main.class"));
            jar.write(new byte[] {1, 2, 3});
            jar.closeEntry();
        }
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(dir.resolve("other.jar")))) {
            jar.putNextEntry(new JarEntry("com/example/Util.class"));
            jar.closeEntry();
        }
        assertThat(Integrity.referenceUses(dir.resolve("no-classes"), dir))
                .containsExactly("bundles the reference's classes in a jar: lib.jar");
        assertThat(Integrity.notes(dir)).hasSize(2).allSatisfy(n -> assertThat(n).contains("unused"));
        Files.createDirectories(dir.resolve("src/main/resources/META-INF/services"));
        Files.writeString(dir.resolve("src/main/resources/junit-platform.properties"), "x=y\n");
        Files.writeString(dir.resolve("src/main/resources/META-INF/services/org.junit.platform.launcher.PostDiscoveryFilter"), "a.B\n");
        assertThat(Integrity.notes(dir)).contains("configures the test platform: src/main/resources/junit-platform.properties",
                "configures the test platform: src/main/resources/META-INF/services/org.junit.platform.launcher.PostDiscoveryFilter");
    }

    @Test
    void changedAddedAndRemovedTestsAreListed() throws IOException {
        Path kit = Files.createDirectories(dir.resolve("kit/java"));
        Path theirs = Files.createDirectories(dir.resolve("theirs/java"));
        Files.writeString(kit.resolve("ATest.java"), "class ATest {}");
        Files.writeString(kit.resolve("BTest.java"), "class BTest {}");
        Files.writeString(theirs.resolve("ATest.java"), "class ATest { /* made to pass */ }");
        Files.writeString(theirs.resolve("CTest.java"), "class CTest {}");
        assertThat(Integrity.modifiedTests(dir.resolve("kit"), dir.resolve("theirs"))).containsExactlyInAnyOrder(
                "changed: src/test/java/ATest.java", "removed: src/test/java/BTest.java", "added: src/test/java/CTest.java");
        assertThat(Integrity.modifiedTests(dir.resolve("kit"), dir.resolve("kit"))).isEmpty();
        assertThat(Integrity.modifiedTests(dir.resolve("kit"), dir.resolve("absent"))).isEmpty();
    }
}
