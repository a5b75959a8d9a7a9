package org.flashlab.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flashlab.e2e.Support.QUICK;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher itself: its help, its usage errors, and what it says when there is no JDK 25. */
class LauncherTest {
    private final FreshCopy copy = FreshCopy.get();

    @Test
    @Verb("help")
    void helpListsTheVerbsAndExitsZero() {
        FreshCopy.Result r = copy.flashlab(QUICK, "help");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).contains("./flashlab demo", "./flashlab test", "./flashlab server", "./flashlab contract",
                "./flashlab run", "Exit codes");
    }

    @Test
    void noArgumentsPrintsTheUsageAndExitsTwo() {
        FreshCopy.Result r = copy.flashlab(QUICK);
        assertThat(r.exit()).as(r.describe()).isEqualTo(2);
        assertThat(r.stdout()).as("usage goes to stderr, like any usage error").isEmpty();
        assertThat(r.stderr()).contains("./flashlab demo");
    }

    @Test
    void anUnknownVerbIsOneLineAndWhereToLook() {
        FreshCopy.Result r = copy.flashlab(QUICK, "frob");
        assertThat(r.exit()).as(r.describe()).isEqualTo(2);
        assertThat(r.stderrLines()).as(r.describe())
                .containsExactly("flashlab: unknown verb 'frob'", "Run './flashlab help' to see the verbs.");
    }

    /** A JDK 17 only (like the machine's default java): the launcher must refuse it and say how to get 25. */
    @Test
    void withoutAJdk25ItSaysHowToGetOne(@TempDir Path jdks) throws IOException {
        Path old = Files.createDirectories(jdks.resolve("jdk-17/bin"));
        Files.writeString(jdks.resolve("jdk-17/release"), "JAVA_VERSION=\"17.0.15\"\n");
        for (String tool : new String[] {"java", "javac"}) {
            Path script = old.resolve(tool);
            Files.writeString(script, "#!/bin/sh\necho 'openjdk version \"17.0.15\"' >&2\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        FreshCopy.Result r = copy.flashlab(QUICK, env -> {
            env.remove("JAVA_HOME");
            env.put("FLASHLAB_JDK_DIRS", jdks.resolve("*").toString());
        }, "demo", "--check");
        assertThat(r.exit()).as(r.describe()).isEqualTo(1);
        assertThat(r.stderr()).contains("no JDK 25 or newer found")
                .contains("sdk install java").contains("adoptium.net").contains("JAVA_HOME=/path/to/jdk-25");
    }
}
