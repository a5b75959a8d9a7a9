package org.flashlab.grader.lessons;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Makes a lesson's starter code from its solution, the single source of both. In a solution file,
 * the code a student writes sits between markers, followed by what the starter has instead, written
 * as comments so that the solution compiles:
 *
 * <pre>
 *     // BEGIN SOLUTION
 *     return sorted.length / seconds;
 *     // STARTER
 *     // throw new UnsupportedOperationException("Task 4 is not done yet (README, \"Task 4\")");
 *     // END SOLUTION
 * </pre>
 *
 * The starter drops the solution's lines and the markers, and keeps the STARTER lines without their
 * leading "// " (so "// // TODO" becomes a "// TODO" comment). A region without STARTER simply
 * disappears: a helper method only the solution needs. Files without markers are copied as they are.
 * A starter therefore never shows a marker, and {@link #differences} tells a build when a committed
 * starter no longer matches its solution.
 */
public final class StarterGenerator {
    static final String BEGIN = "// BEGIN SOLUTION";
    static final String STARTER = "// STARTER";
    static final String END = "// END SOLUTION";

    private StarterGenerator() {}

    /** A solution file with markers that do not pair up. */
    public static final class MarkerException extends RuntimeException {
        MarkerException(String where, String problem) {
            super(where + ": " + problem);
        }
    }

    /** The starter text of one solution file; {@code where} names it in errors. */
    public static String starter(String solution, String where) {
        enum Region { OUTSIDE, SOLUTION, STARTER }
        Region region = Region.OUTSIDE;
        StringBuilder out = new StringBuilder();
        String[] lines = solution.split("\n", -1);
        int opened = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String marker = line.strip();
            String at = where + ":" + (i + 1);
            switch (marker) {
                case BEGIN -> {
                    if (region != Region.OUTSIDE) {
                        throw new MarkerException(at, BEGIN + " inside the region opened at line " + opened);
                    }
                    region = Region.SOLUTION;
                    opened = i + 1;
                    continue;
                }
                case STARTER -> {
                    if (region != Region.SOLUTION) {
                        throw new MarkerException(at, STARTER + " outside a solution region");
                    }
                    region = Region.STARTER;
                    continue;
                }
                case END -> {
                    if (region == Region.OUTSIDE) {
                        throw new MarkerException(at, END + " without " + BEGIN);
                    }
                    region = Region.OUTSIDE;
                    continue;
                }
                default -> { }
            }
            if (marker.contains("BEGIN SOLUTION") || marker.contains("END SOLUTION")) {
                throw new MarkerException(at, "a marker must be alone on its line: " + marker);
            }
            switch (region) {
                case OUTSIDE -> out.append(line).append('\n');
                case SOLUTION -> { }
                case STARTER -> out.append(uncomment(line, at)).append('\n');
            }
        }
        if (region != Region.OUTSIDE) {
            throw new MarkerException(where, "the region opened at line " + opened + " is never closed with " + END);
        }
        out.setLength(out.length() - 1); // split() made one line more than there were line ends
        return out.toString();
    }

    /** "    // code" becomes "    code"; a blank line stays blank. */
    private static String uncomment(String line, String at) {
        if (line.isBlank()) {
            return "";
        }
        int indent = line.length() - line.stripLeading().length();
        String rest = line.substring(indent);
        if (rest.equals("//")) {
            return "";
        }
        if (!rest.startsWith("// ")) {
            throw new MarkerException(at, "a STARTER line must be a comment (\"// ...\"), so that the solution compiles");
        }
        return line.substring(0, indent) + rest.substring(3);
    }

    /** Every starter file of a solution tree (src/main), by path relative to it. */
    public static Map<Path, String> starters(Path solutionSources) {
        Map<Path, String> files = new TreeMap<>();
        for (Path file : files(solutionSources)) {
            Path relative = solutionSources.relativize(file);
            files.put(relative, starter(read(file), relative.toString()));
        }
        return files;
    }

    /** Writes the starters into {@code lessonSources}, and deletes files there that the solution lacks. */
    public static List<String> write(Path solutionSources, Path lessonSources) throws IOException {
        Map<Path, String> wanted = starters(solutionSources);
        List<String> changed = new ArrayList<>();
        for (Path file : files(lessonSources)) {
            if (!wanted.containsKey(lessonSources.relativize(file))) {
                Files.delete(file);
                changed.add("deleted " + file);
            }
        }
        for (Map.Entry<Path, String> e : wanted.entrySet()) {
            Path target = lessonSources.resolve(e.getKey());
            if (!Files.exists(target) || !read(target).equals(e.getValue())) {
                Files.createDirectories(target.getParent());
                Files.writeString(target, e.getValue(), StandardCharsets.UTF_8);
                changed.add("wrote " + target);
            }
        }
        return changed;
    }

    /**
     * How the committed starter differs from what the solution generates: one line per file that is
     * missing, different or extra. Empty when they agree.
     */
    public static List<String> differences(Path solutionSources, Path lessonSources) {
        Map<Path, String> wanted = starters(solutionSources);
        List<String> problems = new ArrayList<>();
        for (Path file : files(lessonSources)) {
            Path relative = lessonSources.relativize(file);
            String expected = wanted.get(relative);
            if (expected == null) {
                problems.add(relative + ": in the starter but not in the solution");
            } else if (!read(file).equals(expected)) {
                problems.add(relative + ": differs from the solution's starter text" + firstDifference(expected, read(file)));
            }
        }
        for (Path relative : wanted.keySet()) {
            if (!Files.exists(lessonSources.resolve(relative))) {
                problems.add(relative + ": in the solution but missing from the starter");
            }
        }
        return problems;
    }

    private static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "(end of file)";
            String al = i < a.length ? a[i] : "(end of file)";
            if (!el.equals(al)) {
                return " (line " + (i + 1) + ": generated \"" + el.strip() + "\", committed \"" + al.strip() + "\")";
            }
        }
        return "";
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
