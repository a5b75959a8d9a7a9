package org.flashlab.grader.lessons;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The class path a lesson's code runs on, its server or its tests: the grader's own (JUnit, the
 * contract suite, the shared layer) first, then the lesson's compiled tests and classes. In that order
 * a class of the student's cannot stand in for one of the kit's (a LessonTestMain that reports every
 * test passed). And without the reference server: its jar is on the grader's class path, to be started
 * as a command, and a student's code that loaded it by name would run the reference as its own.
 */
public final class ClassPaths {
    private ClassPaths() {}

    /** The grader's class path, every entry absolute, without the reference server, then {@code lesson}'s entries. */
    public static String forLesson(List<Path> lesson) {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.isBlank() || isReference(e)) {
                continue;
            }
            entries.add(e.endsWith("*") ? Path.of(e.substring(0, e.length() - 1)).toAbsolutePath() + File.separator + "*"
                    : Path.of(e).toAbsolutePath().toString());
        }
        lesson.forEach(p -> entries.add(p.toAbsolutePath().toString()));
        return String.join(File.pathSeparator, entries);
    }

    /** The reference server's jar, or its classes in the kit's own build. */
    static boolean isReference(String entry) {
        String name = Path.of(entry).getFileName() == null ? "" : Path.of(entry).getFileName().toString();
        String normalized = entry.replace('\\', '/');
        return name.startsWith("flashlab-server-") && name.endsWith(".jar")
                || normalized.endsWith("server/reference/target/classes") || normalized.endsWith("server/reference/target/classes/");
    }

    /** For tests: the entries of a class path string. */
    static List<String> entries(String classPath) {
        return Arrays.asList(classPath.split(File.pathSeparator));
    }
}
