package org.flashlab.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every class, package and source folder that the README and `docs/` name in backticks exists: a
 * reader who looks for `reference.mp` must find it, or the docs must stop naming it. Names are
 * written as the docs write them, from any package below {@code org.flashlab} ("event.Connection",
 * "grader.run.Runner", "reference.sped"); build output (target/) and the JDK's own classes are not
 * the kit's to check.
 */
class DocsCiteRealCodeTest {
    /** A dotted name in backticks: lower-case packages, then at most a class and its members. */
    private static final Pattern CITED = Pattern.compile("`((?:[a-z][a-z0-9]*\\.)+(?:[a-z][a-z0-9]*|[A-Z][A-Za-z0-9]*)(?:\\.[A-Za-z][A-Za-z0-9]*)*)`");
    /** A folder of the kit in backticks: "server/http", "server/sample-site". */
    private static final Pattern FOLDER = Pattern.compile("`((?:server|grader|lessons|solutions|docs|e2e|coverage)(?:/[A-Za-z0-9_.-]+)+)`");
    private static final Set<String> NOT_OURS = Set.of("java", "javax", "jdk", "sun", "com", "net");

    @Test
    void everyCitedClassPackageAndFolderExists() throws IOException {
        Path root = FreshCopy.SOURCE;
        List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> files = Files.list(root.resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        Set<String> sources = javaSources(root);
        Set<String> packages = packageNames(sources);
        Set<String> missing = new TreeSet<>();
        int checked = 0;
        for (Path doc : docs) {
            String text = Files.readString(doc);
            Matcher m = CITED.matcher(text);
            while (m.find()) {
                String name = m.group(1);
                String first = name.substring(0, name.indexOf('.'));
                if (NOT_OURS.contains(first) || !(packages.contains(first) || first.equals("org"))) {
                    continue; // the JDK's, or not a Java name at all (pom.xml, memory.max)
                }
                checked++;
                if (!resolves(name, sources)) {
                    missing.add(root.relativize(doc) + ": `" + name + "`");
                }
            }
            Matcher f = FOLDER.matcher(text);
            while (f.find()) {
                String folder = f.group(1);
                if (folder.contains("/target")) {
                    continue; // build output: made by a build, not kept in the repository
                }
                if ((folder.startsWith("solutions") || folder.startsWith("grader/gradescope") || folder.startsWith("docs/grading"))
                        && !Files.isDirectory(root.resolve("solutions"))) {
                    continue; // instructors' material, which a student's copy of the kit (export-student) leaves out
                }
                checked++;
                if (!Files.exists(root.resolve(folder))) {
                    missing.add(root.relativize(doc) + ": `" + folder + "`");
                }
            }
        }
        assertThat(checked).as("names cited in the docs").isGreaterThan(30);
        assertThat(missing).as("names the docs cite that the code does not have: rename them in the docs, "
                + "or say in words what they stand for").isEmpty();
    }

    /**
     * True when some source file or package folder ends with the name's path: "event.Connection" is
     * .../org/flashlab/reference/event/Connection.java; members after the class are not checked.
     */
    private static boolean resolves(String name, Set<String> sources) {
        List<String> packages = new ArrayList<>();
        String type = null;
        for (String part : name.split("\\.")) {
            if (Character.isUpperCase(part.charAt(0))) {
                type = part;
                break;
            }
            packages.add(part);
        }
        if (!packages.isEmpty() && packages.getFirst().equals("org")) {
            packages = packages.subList(Math.min(2, packages.size()), packages.size()); // org.flashlab.
        }
        String suffix = "/" + String.join("/", packages) + (type == null ? "" : "/" + type + ".java");
        String packageOnly = "/" + String.join("/", packages);
        for (String source : sources) {
            if (type != null ? source.endsWith(suffix) || (packages.isEmpty() && source.endsWith("/" + type + ".java"))
                    : source.substring(0, source.lastIndexOf('/')).endsWith(packageOnly)) {
                return true;
            }
        }
        return false;
    }

    /** Every package name below org.flashlab, at any depth: "reference", "event", "load". */
    private static Set<String> packageNames(Set<String> sources) {
        Set<String> names = new TreeSet<>();
        for (String source : sources) {
            String below = source.substring(source.indexOf("/java/org/flashlab/") + "/java/org/flashlab/".length());
            String[] parts = below.split("/");
            names.addAll(List.of(parts).subList(0, parts.length - 1));
        }
        return names;
    }

    /**
     * Every main and test source of the kit, as paths from its root with forward slashes. A student's
     * export carries the reference server compiled, its classes in src/main/resources: each top-level
     * class counts as its source would.
     */
    private static Set<String> javaSources(Path root) throws IOException {
        Set<String> sources = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.toList()) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (rel.contains("/target/")) {
                    continue;
                }
                if (rel.endsWith(".java") && rel.contains("/java/org/flashlab/")) {
                    sources.add(rel);
                } else if (rel.endsWith(".class") && !rel.contains("$") && rel.contains("/src/main/resources/org/flashlab/")) {
                    sources.add(rel.replace("/src/main/resources/", "/src/main/java/").replaceFirst("\\.class$", ".java"));
                }
            }
        }
        return sources;
    }
}
