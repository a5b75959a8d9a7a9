package org.flashlab.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flashlab.e2e.Support.QUICK;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every verb a user can read about has an end-to-end test: the ones in the README and the ones in
 * `./flashlab help`, except `test` (which is running this) and `build` (which made the copy).
 */
class ReadmeVerbsTest {
    private static final Pattern VERB = Pattern.compile("\\./flashlab ([a-z][a-z-]*)");
    private static final Set<String> EXEMPT = Set.of("test", "build");

    @Test
    void everyVerbInTheReadmeAndTheHelpHasAnEndToEndTest() throws Exception {
        Set<String> shown = new TreeSet<>();
        shown.addAll(verbsIn(Files.readString(FreshCopy.SOURCE.resolve("README.md"))));
        FreshCopy.Result help = FreshCopy.get().flashlab(QUICK, "help");
        Set<String> inHelp = verbsIn(help.stdout());
        assertThat(inHelp).as("./flashlab help lists its verbs").contains("demo", "server", "run");
        shown.addAll(inHelp);
        shown.removeAll(EXEMPT);

        assertThat(testedVerbs()).as("verbs with a @Verb test in e2e/; add one for each verb the README or the help shows")
                .containsAll(shown);
    }

    private static Set<String> verbsIn(String text) {
        Set<String> verbs = new TreeSet<>();
        Matcher m = VERB.matcher(text);
        while (m.find()) {
            verbs.add(m.group(1));
        }
        return verbs;
    }

    /** The verbs named by @Verb on the test methods of this package. */
    private static Set<String> testedVerbs() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(ReadmeVerbsTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path pkg = classes.resolve(ReadmeVerbsTest.class.getPackageName().replace('.', '/'));
        Set<String> verbs = new TreeSet<>();
        try (Stream<Path> files = Files.list(pkg)) {
            for (Path file : files.filter(f -> f.toString().endsWith("Test.class")).toList()) {
                String name = ReadmeVerbsTest.class.getPackageName() + "." + file.getFileName().toString().replace(".class", "");
                for (Method method : Class.forName(name).getDeclaredMethods()) {
                    Verb verb = method.getAnnotation(Verb.class);
                    if (verb != null) {
                        verbs.addAll(java.util.List.of(verb.value()));
                    }
                }
            }
        }
        return verbs;
    }
}
