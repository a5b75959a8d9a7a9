package org.flashlab.grader.grading;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.flashlab.cli.Cli;
import org.flashlab.cli.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `flashlab export-student`: the repository students get. It holds the lessons (their starters), the
 * shared layer, the contract and conformance suites, the grader and the docs; never the solutions,
 * the hidden tests (both live in solutions/) or the reference server's sources. By default the
 * reference server comes compiled: the classes of its jar, with no source, built by the export's own
 * Maven into the same module, so `server`, `demo`, `run --model` and `lesson measure` work as here.
 * With {@code --without-reference} it is left out: those verbs then say so in one line, and the tests
 * that run it (the end-to-end module, and the grader's tests that start it) are left out too.
 *
 * The result is a new git repository with one commit, ready to push as a GitHub Classroom template.
 */
@Command(name = "flashlab export-student", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Writes the students' copy of the kit: starters, shared layer, contract and conformance suites,",
                "grader, docs, and the reference server compiled (no solutions, no hidden tests, no reference source)."})
public final class ExportStudent implements Callable<Integer> {
    /** Paths never exported: instructors' material. */
    static final List<String> INSTRUCTORS_ONLY = List.of("solutions/", "server/reference/src/", "docs/instructors.md",
            "docs/grading/", "grader/gradescope/");
    /** With --without-reference: the tests that start the reference server by its classes. */
    static final List<String> NEED_REFERENCE = List.of("e2e/", "server/reference/",
            "grader/src/test/java/org/flashlab/grader/load/LoadGeneratorTest.java",
            "grader/src/test/java/org/flashlab/grader/load/OpenLoopTest.java",
            "grader/src/test/java/org/flashlab/grader/run/RunnerTest.java",
            "grader/src/test/java/org/flashlab/grader/ContractCheckTest.java",
            "grader/src/test/java/org/flashlab/grader/ReferenceServerTest.java",
            "grader/src/test/java/org/flashlab/grader/grading/cheat/",
            "grader/src/test/java/org/flashlab/grader/grading/IntegrityTest.java");
    static final String REFERENCE_JAR = "server/reference/target/flashlab-server-0.1.0-SNAPSHOT.jar";

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The new repository's folder (must not exist, or be empty).")
    Path out;

    @Option(names = "--without-reference", description = "Leave the reference server out altogether.")
    boolean withoutReference;

    @Override
    public Integer call() throws Exception {
        out = out.toAbsolutePath().normalize();
        Path kit = GradeCommand.kit();
        if (Files.exists(out) && (!Files.isDirectory(out) || Files.list(out).findAny().isPresent())) {
            throw Cli.usage("--out " + out + " exists and is not empty: name a new folder");
        }
        Path jar = kit.resolve(REFERENCE_JAR);
        if (!withoutReference && !Files.isRegularFile(jar)) {
            throw Cli.failure("the reference server's jar is not built (" + jar + "): run ./flashlab build first");
        }
        List<String> files = tracked(kit);
        int copied = 0;
        for (String f : files) {
            if (skip(f)) {
                continue;
            }
            Path target = out.resolve(f);
            Files.createDirectories(target.getParent());
            Files.copy(kit.resolve(f), target, StandardCopyOption.COPY_ATTRIBUTES);
            copied++;
        }
        if (withoutReference) {
            edit(out.resolve("server/pom.xml"), "    <module>reference</module>\n", "");
            edit(out.resolve("pom.xml"), "    <module>e2e</module>\n", "");
            for (String pom : List.of("grader/pom.xml", "coverage/pom.xml")) {
                String text = Files.readString(out.resolve(pom));
                // The dependency on flashlab-server, with whatever comment and scope it has.
                text = text.replaceAll("(?s)\\s*<dependency>(\\s*<!--(?:(?!-->).)*-->)?\\s*<groupId>org\\.flashlab</groupId>\\s*"
                        + "<artifactId>flashlab-server</artifactId>.*?</dependency>", "");
                Files.writeString(out.resolve(pom), text);
            }
        } else {
            int classes = unpack(jar, out.resolve("server/reference/src/main/resources"));
            // The kit's .gitignore leaves out *.class (build output); these are the export's content.
            Files.writeString(out.resolve("server/reference/src/main/resources/.gitignore"),
                    "# The reference server, compiled: these classes are this copy's content, not build output.\n!*.class\n");
            Files.writeString(out.resolve("server/reference/README.md"), """
                    # The reference server, compiled

                    This copy of the kit carries the reference server as compiled classes only, in
                    `src/main/resources`: Maven builds them into the same jar as the source would, so
                    `./flashlab server`, `demo`, `run --model` and `lesson measure` work. Its source is
                    your instructor's: the point of the course is to write your own.
                    """);
            System.out.println("flashlab export-student: the reference server, compiled (" + classes + " classes)");
        }
        git(out, "init", "-q");
        git(out, "add", "-A");
        git(out, "-c", "user.name=Flashlab", "-c", "user.email=flashlab@localhost", "commit", "-q", "-m",
                "Flashlab: the students' copy of the kit");
        System.out.printf("flashlab export-student: %d files into %s (a git repository with one commit)%s%n", copied, out,
                withoutReference ? "; without the reference server" : "");
        return ExitCode.OK.code();
    }

    private boolean skip(String path) {
        if (INSTRUCTORS_ONLY.stream().anyMatch(path::startsWith)) {
            return true;
        }
        return withoutReference && NEED_REFERENCE.stream().anyMatch(path::startsWith);
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        if (!text.contains(from)) {
            throw new IOException(file + " no longer has '" + from.strip() + "': export-student must learn the new layout");
        }
        Files.writeString(file, text.replace(from, to));
    }

    /** Unzips the jar's classes and resources (not its manifest) into {@code dir}. */
    static int unpack(Path jar, Path into) throws IOException {
        Path dir = into.toAbsolutePath().normalize();
        int classes = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (e.isDirectory() || e.getName().startsWith("META-INF/")) {
                    continue;
                }
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException(jar + " holds an entry outside its root: " + e.getName());
                }
                Files.createDirectories(target.getParent());
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                classes += e.getName().endsWith(".class") ? 1 : 0;
            }
        }
        return classes;
    }

    /**
     * The kit's files as a clone would have them: those git tracks. Never an untracked file, which may be
     * a class's submissions or a grade's workspace with hidden tests in it. Outside a git checkout (a tree
     * from an archive), every file but those in .git, target/, results/ and submissions/.
     */
    static List<String> tracked(Path kit) throws IOException, InterruptedException {
        if (!Files.exists(kit.resolve(".git"))) {
            try (java.util.stream.Stream<Path> walk = Files.walk(kit)) {
                return walk.filter(Files::isRegularFile).map(p -> kit.relativize(p).toString().replace('\\', '/'))
                        .filter(p -> java.util.Arrays.stream(p.split("/")).noneMatch(
                                part -> part.equals(".git") || part.equals("target"))
                                && !p.startsWith("results/") && !p.startsWith("submissions/"))
                        .sorted().toList();
            }
        }
        Process p = new ProcessBuilder("git", "-C", kit.toString(), "ls-files", "-z", "--cached")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] bytes;
        try (InputStream in = p.getInputStream()) {
            bytes = in.readAllBytes();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw Cli.failure("git could not list the kit's files in " + kit);
        }
        List<String> files = new ArrayList<>();
        for (String f : new String(bytes, StandardCharsets.UTF_8).split("\0")) {
            if (!f.isEmpty() && Files.isRegularFile(kit.resolve(f))) {
                files.add(f);
            }
        }
        return files;
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw Cli.failure("git " + String.join(" ", args) + " failed in " + dir + ":\n" + output);
        }
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new ExportStudent(), args));
    }
}
