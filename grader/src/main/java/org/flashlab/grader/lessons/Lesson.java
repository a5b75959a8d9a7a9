package org.flashlab.grader.lessons;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * One lesson, as described by its {@code lesson.properties}: its number and title, the server class a
 * student writes (constructed with a {@code ServerConfig}), and the reference model of the same
 * architecture that the student's server is measured against. A lesson without a server of its own
 * (lesson 06, whose work is an experiment) has neither: {@link #hasServer()} is false.
 *
 * @param number    "00", "01", ...
 * @param emulatedDisk whether the lesson's servers read through the emulated disk they are given
 *                  ({@code emulatedDisk=false} in lesson.properties: lesson 01, whose workers, in
 *                  processes of their own, are not told of it)
 * @param dir       lessons/NN-name: the starter the student edits, its README and its tests
 * @param solution  solutions/NN-name, which may be absent (a student's copy of the kit has none)
 */
public record Lesson(String number, String title, String serverClass, String reference, Path dir, Path solution,
                     boolean emulatedDisk) {
    public static final String DESCRIPTOR = "lesson.properties";

    /** lessons/NN-name or solutions/NN-name: the folder's name. */
    public String name() {
        return dir.getFileName().toString();
    }

    /** The code under test: the student's starter, or with {@code solution} the solution's. */
    public Path classes(boolean useSolution) {
        return (useSolution ? solution : dir).resolve("target/classes");
    }

    /** The lesson's tests, compiled in the lesson module. */
    public Path testClasses() {
        return dir.resolve("target/test-classes");
    }

    /** Where the last test run's results are kept, for {@code flashlab lessons}. */
    public Path progressFile(boolean useSolution) {
        return (useSolution ? solution : dir).resolve("target/flashlab-progress.json");
    }

    /** True when the kit has this lesson's solution module (a student's copy has none). */
    public boolean hasSolution() {
        return solution != null && Files.isRegularFile(solution.resolve("pom.xml"));
    }

    /** True when the lesson has a server class to run and measure. */
    public boolean hasServer() {
        return serverClass != null;
    }

    /**
     * The server class, for a command that runs it.
     *
     * @throws IllegalArgumentException naming the lesson, when it has no server of its own
     */
    public String requireServer() {
        if (serverClass == null) {
            throw new IllegalArgumentException("lesson " + name() + " has no server of its own (its work is "
                    + "described in lessons/" + name() + "/README.md); name a lesson with a server");
        }
        return serverClass;
    }

    /** Every lesson under {@code kit}/lessons, in order of their numbers. */
    public static List<Lesson> all(Path kit) {
        Path lessons = kit.resolve("lessons");
        try (Stream<Path> dirs = Files.list(lessons)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(DESCRIPTOR)))
                    .sorted()
                    .map(d -> load(d, kit.resolve("solutions").resolve(d.getFileName())))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the lessons in " + lessons, e);
        }
    }

    /**
     * The lesson a student named: "3", "03", "03-sped" and "sped" all name lesson 03.
     *
     * @throws IllegalArgumentException naming the lessons there are
     */
    public static Lesson find(Path kit, String name) {
        List<Lesson> all = all(kit);
        for (Lesson l : all) {
            String n = name.strip();
            boolean number = n.matches("\\d+") && Integer.parseInt(n) == Integer.parseInt(l.number());
            if (number || l.name().equals(n) || l.name().substring(3).equals(n)) {
                return l;
            }
        }
        throw new IllegalArgumentException("no lesson '" + name + "'; the lessons are "
                + String.join(", ", all.stream().map(Lesson::name).toList()));
    }

    /** The lessons up to and including {@code last}, latest first: a lesson, then its regressions. */
    public static List<Lesson> upTo(Path kit, Lesson last) {
        return all(kit).stream().filter(l -> l.number().compareTo(last.number()) <= 0)
                .sorted((a, b) -> b.number().compareTo(a.number())).toList();
    }

    private static Lesson load(Path dir, Path solution) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve(DESCRIPTOR), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(DESCRIPTOR), e);
        }
        String number = dir.getFileName().toString().substring(0, 2);
        String server = optional(p, "server");
        String reference = optional(p, "reference");
        if ((server == null) != (reference == null)) {
            throw new IllegalStateException(dir.resolve(DESCRIPTOR) + " must have both 'server' and 'reference', or neither");
        }
        boolean emulatedDisk = !"false".equalsIgnoreCase(p.getProperty("emulatedDisk", "true").strip());
        return new Lesson(number, required(p, "title", dir), server, reference, dir, solution, emulatedDisk);
    }

    private static String optional(Properties p, String key) {
        String value = p.getProperty(key);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String required(Properties p, String key, Path dir) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(dir.resolve(DESCRIPTOR) + " has no '" + key + "'");
        }
        return value.strip();
    }
}
