package org.flashlab.reference;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads every class of the given code sources before the server starts. The JVM loads classes
 * lazily, and loading one from a directory opens a file; a server that has run out of descriptors
 * (EMFILE, the situation its accept back-off exists for) would then fail with NoClassDefFoundError
 * on the first code path it had not used yet, such as the back-off itself.
 */
final class Preload {
    private static final System.Logger LOG = System.getLogger(Preload.class.getName());

    private Preload() {}

    /** Loads, without initialising, every class in the jars or directories that hold the anchors. */
    static void classesBeside(Class<?>... anchors) {
        for (Class<?> anchor : anchors) {
            try {
                Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
                for (String name : classNames(location)) {
                    try {
                        Class.forName(name, false, anchor.getClassLoader());
                    } catch (ClassNotFoundException | LinkageError e) {
                        LOG.log(System.Logger.Level.DEBUG, () -> "preload skipped " + name + ": " + e);
                    }
                }
            } catch (IOException | URISyntaxException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot preload the classes beside " + anchor.getName(), e);
            }
        }
    }

    private static java.util.List<String> classNames(Path location) throws IOException {
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                return files.filter(f -> f.toString().endsWith(".class"))
                        .map(f -> toName(location.relativize(f).toString()))
                        .toList();
            }
        }
        try (JarFile jar = new JarFile(location.toFile())) {
            return jar.stream().map(JarEntry::getName).filter(n -> n.endsWith(".class") && !n.contains("module-info"))
                    .map(Preload::toName).toList();
        }
    }

    private static String toName(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.').replace('\\', '.');
    }
}
