package org.flashlab.grader.grading;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.flashlab.grader.lessons.Lesson;

/**
 * The submission's own copy, where it is built: the student's {@code src/main} and files (an
 * experiment spec, conclusions, answers), beside the kit's {@code pom.xml}, the kit's provided tests
 * and the hidden tests. So a student who edits a test, or adds a dependency to their POM, changes
 * nothing the grader runs. It is compiled offline by Maven against the kit's modules in the local
 * repository (which {@link #installKit} puts there): a submission cannot download anything either.
 */
public final class Workspace {
    /** A bound on one build: a compile takes seconds. */
    static final Duration BUILD_LIMIT = Duration.ofMinutes(10);

    private Workspace() {}

    /**
     * The lesson's module in a submission: a checkout of the kit (lessons/NN-name inside it), or the
     * lesson's folder itself.
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public static Path locate(Path submission, Lesson lesson) {
        for (Path candidate : List.of(submission.resolve("lessons").resolve(lesson.name()), submission.resolve(lesson.name()),
                submission)) {
            // Code in the lesson's package, or the lesson's (or its solution's) POM: lesson 06 has no code.
            if (Files.isDirectory(candidate.resolve("src/main/java/org/flashlab/lesson" + lesson.number()))
                    || (Files.isRegularFile(candidate.resolve("pom.xml")) && isLessonPom(candidate, lesson))) {
                return candidate;
            }
        }
        throw new IllegalArgumentException(submission + " holds no lesson " + lesson.name() + ": give a checkout of the kit "
                + "(with lessons/" + lesson.name() + "), or the lesson's folder itself");
    }

    /** {@link #locate}, or a path that does not exist when the submission holds no such lesson. */
    static Path locateOrNull(Path submission, Lesson lesson) {
        try {
            return locate(submission, lesson);
        } catch (IllegalArgumentException e) {
            return submission.resolve("no-such-lesson-" + lesson.name());
        }
    }

    private static boolean isLessonPom(Path dir, Lesson lesson) {
        try {
            String pom = Files.readString(dir.resolve("pom.xml"));
            return pom.contains("flashlab-lesson-" + lesson.name() + "<") || pom.contains("flashlab-solution-" + lesson.name() + "<");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Lays out the workspace in {@code work}: the student's module without its tests, target or POM,
     * then the kit's POM, provided tests and hidden tests.
     *
     * @return the hidden test classes' names, so the grade can tell them from the provided ones
     */
    public static List<String> prepare(Path studentModule, Lesson kitLesson, List<Path> hidden, Path work) throws IOException {
        deleteTree(work);
        Files.createDirectories(work);
        // Never the student's build settings either: .mvn/ may hold JVM or Maven options, or extensions.
        copyTree(studentModule, work, rel -> !(rel.startsWith("target") || rel.startsWith("src/test") || rel.equals("pom.xml")
                || rel.startsWith(".git") || rel.startsWith(".mvn")));
        // The kit's POM, told to find its parent in the local repository rather than beside it.
        String pom = Files.readString(kitLesson.dir().resolve("pom.xml"));
        pom = pom.replaceFirst("</version>(\\s*)</parent>", "</version>$1<relativePath/>$1</parent>");
        Files.writeString(work.resolve("pom.xml"), pom);
        Path tests = kitLesson.dir().resolve("src/test");
        if (Files.isDirectory(tests)) {
            copyTree(tests, work.resolve("src/test"), rel -> true);
        }
        List<String> hiddenClasses = new ArrayList<>();
        for (Path root : hidden) {
            copyTree(root, work.resolve("src/test/java"), rel -> true);
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    String rel = root.relativize(f).toString();
                    hiddenClasses.add(rel.substring(0, rel.length() - ".java".length()).replace('/', '.'));
                });
            }
        }
        return hiddenClasses;
    }

    /**
     * Puts the kit's modules that a lesson builds on into the local Maven repository. This build is the
     * kit's own, so it may fetch a plugin the kit's first build did not need (the install plugin).
     */
    public static Evidence.Build installKit(Path kit, Lesson lesson, Path log) throws IOException, InterruptedException {
        return maven(false, List.of("-f", kit.resolve("pom.xml").toString(), "install", "-DskipTests", "-Djacoco.skip=true",
                "-pl", "lessons/" + lesson.name(), "-am"), kit, log);
    }

    /** Compiles the workspace and its tests, offline: a submission's build downloads nothing. */
    public static Evidence.Build build(Path work, Path log) throws IOException, InterruptedException {
        return maven(true, List.of("-f", work.resolve("pom.xml").toString(), "test-compile", "-Djacoco.skip=true"), work, log);
    }

    private static Evidence.Build maven(boolean offline, List<String> args, Path dir, Path log)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-ntp", "-Dstyle.color=never"));
        if (offline) {
            command.add("-o");
        }
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        // Maven runs on this JVM's JDK: the kit's enforcer wants 25, and a machine's default may be older.
        ProcessHandle.current().info().command().map(Path::of).map(p -> p.getParent().getParent())
                .ifPresent(home -> {
                    pb.environment().put("JAVA_HOME", home.toString());
                    pb.environment().put("PATH", home.resolve("bin") + java.io.File.pathSeparator + System.getenv("PATH"));
                });
        pb.environment().merge("MAVEN_OPTS", "--sun-misc-unsafe-memory-access=allow", (a, b) -> a + " " + b);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Evidence.Build(false, "cannot run Maven (mvn): " + e.getMessage() + "; install Maven 3.8.7 or newer");
        }
        p.getOutputStream().close();
        List<String> lines = new ArrayList<>();
        Thread pump = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line.replaceAll("\u001b\\[[0-9;]*m", ""));
                    }
                }
            } catch (IOException e) {
                synchronized (lines) {
                    lines.add("(Maven's output broke off: " + e + ")");
                }
            }
        });
        boolean done = p.waitFor(BUILD_LIMIT.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
        }
        pump.join(Duration.ofSeconds(10));
        List<String> all;
        synchronized (lines) {
            all = List.copyOf(lines);
        }
        Files.createDirectories(log.getParent());
        Files.write(log, all, StandardCharsets.UTF_8);
        if (!done) {
            return new Evidence.Build(false, "the build did not finish within " + BUILD_LIMIT.toMinutes() + " minutes");
        }
        if (p.exitValue() == 0) {
            return new Evidence.Build(true, "");
        }
        List<String> errors = all.stream().filter(l -> l.startsWith("[ERROR]"))
                .filter(l -> !l.contains("Re-run Maven") && !l.contains("-> [Help") && !l.startsWith("[ERROR] For more")
                        && !l.equals("[ERROR] ") && !l.contains("http://cwiki"))
                .limit(30).toList();
        return new Evidence.Build(false, String.join("\n", errors.isEmpty() ? all.subList(Math.max(0, all.size() - 30), all.size())
                : errors) + "\n(the whole log: " + log + ")");
    }

    /** Copies a tree, keeping the paths (relative, with '/') that {@code keep} accepts. */
    static void copyTree(Path from, Path to, java.util.function.Predicate<String> keep) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                String rel = from.relativize(dir).toString().replace('\\', '/');
                if (!rel.isEmpty() && !keep.test(rel)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(rel));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = from.relativize(file).toString().replace('\\', '/');
                if (keep.test(rel) && attrs.isRegularFile()) {
                    Files.copy(file, to.resolve(rel), StandardCopyOption.REPLACE_EXISTING);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + p, e);
                }
            });
        }
    }
}
