package org.flashlab.e2e;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The kit as a new user gets it: the tree's files copied into an empty folder, as `git clone` would
 * give them (tracked files and new ones not ignored, with the working tree's edits, but no target/),
 * then built once by that copy's own `./flashlab build`. Every end-to-end test runs verbs in this
 * copy, so a jar that only a stale target/ supplied is missing here too, and the verb that needs it
 * fails.
 *
 * One copy serves every test class in the JVM (the build takes a minute), and is deleted when the
 * JVM exits. Every command runs with a time limit, and a command past it is killed with its children.
 */
final class FreshCopy {
    /** The tree under test: this module's parent (set by the POM). */
    static final Path SOURCE = Path.of(System.getProperty("flashlab.root", "..")).toAbsolutePath().normalize();
    /** One line per command run, with its exit code and time: the closing note's table. */
    private static final Path LOG = Path.of("target", "e2e-commands.txt").toAbsolutePath();

    private static FreshCopy shared;
    private static RuntimeException sharedFailure; // a copy that would not build fails every later test at once

    final Path root;

    private FreshCopy(Path root) {
        this.root = root;
    }

    /** The shared copy, made and built on first use. */
    static synchronized FreshCopy get() {
        if (sharedFailure != null) {
            throw sharedFailure;
        }
        if (shared == null) {
            try {
                shared = make();
            } catch (AssertionError | RuntimeException e) {
                sharedFailure = new IllegalStateException("the fresh copy could not be made or built", e);
                throw sharedFailure;
            }
        }
        return shared;
    }

    /** What one command did. {@code took} is wall-clock time, reported, never asserted on. */
    record Result(List<String> command, int exit, String stdout, String stderr, Duration took) {
        /** Everything it printed, for assertion messages. */
        String describe() {
            return "$ " + String.join(" ", command) + "\nexit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }

        List<String> stderrLines() {
            return stderr.lines().toList();
        }
    }

    /** Runs {@code ./flashlab args...} in the copy, with the environment as this JVM's. */
    Result flashlab(Duration limit, String... args) {
        return run(limit, env -> { }, prepend("./flashlab", args));
    }

    /** Runs {@code ./flashlab args...} in the copy with a changed environment. */
    Result flashlab(Duration limit, Consumer<Map<String, String>> environment, String... args) {
        return run(limit, environment, prepend("./flashlab", args));
    }

    /** Runs any command in the copy's root. Its output goes to files, so a chatty command never blocks on a pipe. */
    Result run(Duration limit, Consumer<Map<String, String>> environment, List<String> command) {
        try {
            Path out = Files.createTempFile("flashlab-e2e-", ".out");
            Path err = Files.createTempFile("flashlab-e2e-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                environment.accept(builder.environment());
                long start = System.nanoTime();
                Process process = builder.start();
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    killTree(process);
                    fail("still running after %s, so it was killed: %s%n--- stdout%n%s--- stderr%n%s", limit,
                            String.join(" ", command), Files.readString(out), Files.readString(err));
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                Result result = new Result(command, process.exitValue(), Files.readString(out), Files.readString(err), took);
                record(result);
                return result;
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** Appends a command, its exit code and its time to target/e2e-commands.txt. */
    static synchronized void record(Result r) {
        try {
            Files.createDirectories(LOG.getParent());
            Files.writeString(LOG, String.format(Locale.ROOT, "%4d %7.1fs  %s%n", r.exit(), r.took().toMillis() / 1000.0,
                    String.join(" ", r.command())), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FreshCopy make() {
        try {
            Files.deleteIfExists(LOG);
            Path root = Files.createTempDirectory("flashlab-fresh-copy-");
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> deleteTree(root)));
            for (Path relative : filesOfTheTree()) {
                Path from = SOURCE.resolve(relative);
                if (Files.isRegularFile(from)) { // a tracked file deleted in the working tree is skipped
                    Path to = root.resolve(relative);
                    Files.createDirectories(to.getParent());
                    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES); // keeps ./flashlab executable
                }
            }
            FreshCopy copy = new FreshCopy(root);
            Result build = copy.flashlab(Duration.ofMinutes(15), "build");
            if (build.exit() != 0) {
                fail("./flashlab build failed in a fresh copy of the tree:%n%s", build.describe());
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The files a clone would have, with uncommitted work: `git ls-files -co --exclude-standard`.
     * Outside a git checkout (a tree from an archive), every file but .git and target/ folders.
     */
    private static List<Path> filesOfTheTree() throws IOException {
        try {
            Process git = new ProcessBuilder("git", "-C", SOURCE.toString(), "ls-files", "-z", "-c", "-o", "--exclude-standard")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] listing = git.getInputStream().readAllBytes();
            if (git.waitFor() == 0) {
                return Arrays.stream(new String(listing, StandardCharsets.UTF_8).split("\0"))
                        .filter(name -> !name.isEmpty()).map(Path::of).toList();
            }
        } catch (IOException e) {
            // no git on this machine: fall through to walking the tree
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(SOURCE)) {
            walk.filter(Files::isRegularFile).map(SOURCE::relativize)
                    .filter(p -> Stream.of(p.toString().split("/")).noneMatch(part -> part.equals(".git") || part.equals("target")))
                    .forEach(files::add);
        }
        return files;
    }

    static void killTree(Process process) {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("flashlab e2e: could not delete " + root + ": " + e);
        }
    }

    private static List<String> prepend(String first, String... rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all;
    }
}
