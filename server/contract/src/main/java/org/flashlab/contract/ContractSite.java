package org.flashlab.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The document root every contract test runs against, generated afresh into a temporary directory.
 * Sizes are chosen around the edges that break servers: empty, one byte, either side of 1 KiB and of
 * 64 KiB (a common buffer size), an odd megabyte, and 4 MiB, which no socket buffer holds at once.
 *
 * <pre>
 *   index.html  hello.txt  empty.txt  "a b.txt"  café.txt  link-in.txt -> hello.txt
 *   bin/size-N.bin         seeded random bytes for each N in SIZES
 *   sub/index.html sub/style.css   noindex/file.txt   .hidden   secret.txt (mode 000)
 *   link-out -> ../outside (a directory beside the root holding secret.txt with OUTSIDE_MARKER)
 * </pre>
 */
public final class ContractSite implements AutoCloseable {
    public static final List<Integer> SIZES = List.of(0, 1, 1023, 1024, 1025, 65_535, 65_536, 1_048_583, 4 * 1024 * 1024);
    public static final String HELLO = "Hello, Flash!\n";
    public static final String OUTSIDE_MARKER = "FLASHLAB-OUTSIDE-THE-ROOT";
    /** hello.txt's modification time, whole seconds, for If-Modified-Since tests. */
    public static final Instant HELLO_MTIME = Instant.parse("2024-03-01T12:00:00Z");

    private final Path base;
    private final Path root;

    private ContractSite(Path base) {
        this.base = base;
        this.root = base.resolve("www");
    }

    /** Creates the site under a new temporary directory. */
    public static ContractSite create() {
        try {
            ContractSite site = new ContractSite(Files.createTempDirectory("flashlab-contract-"));
            site.populate();
            return site;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the contract site", e);
        }
    }

    private void populate() throws IOException {
        Files.createDirectories(root.resolve("bin"));
        Files.writeString(root.resolve("index.html"), "<!doctype html>\n<h1>Flashlab contract site</h1>\n");
        Files.writeString(root.resolve("hello.txt"), HELLO);
        Files.setLastModifiedTime(root.resolve("hello.txt"), FileTime.from(HELLO_MTIME));
        Files.write(root.resolve("empty.txt"), new byte[0]);
        Files.writeString(root.resolve("a b.txt"), "space in the name\n");
        Files.writeString(root.resolve("café.txt"), "non-ASCII name\n", StandardCharsets.UTF_8);
        Files.createSymbolicLink(root.resolve("link-in.txt"), Path.of("hello.txt"));
        for (int size : SIZES) {
            Files.write(root.resolve(sizeFile(size)), randomBytes(size));
        }
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/index.html"), "<!doctype html>\n<h1>sub</h1>\n");
        Files.writeString(root.resolve("sub/style.css"), "h1 { color: teal; }\n");
        Files.createDirectories(root.resolve("noindex"));
        Files.writeString(root.resolve("noindex/file.txt"), "a directory without index.html\n");
        Files.writeString(root.resolve(".hidden"), "hidden\n");
        Path secret = root.resolve("secret.txt");
        Files.writeString(secret, "not for the web\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), OUTSIDE_MARKER + "\n");
        Files.createSymbolicLink(root.resolve("link-out"), Path.of("../outside"));
    }

    /** The document root to serve. */
    public Path root() {
        return root;
    }

    /** The site-relative path of the file of {@code size} random bytes. */
    public static String sizeFile(int size) {
        return "bin/size-" + size + ".bin";
    }

    /** The exact bytes a file in the site holds. */
    public byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(root.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deterministic content, so a failure is reproducible byte for byte. */
    static byte[] randomBytes(int size) {
        byte[] data = new byte[size];
        new Random(size * 31L + 7).nextBytes(data);
        return data;
    }

    /** Deletes the site, restoring permissions first so that nothing is left behind. */
    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(base)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!Files.isSymbolicLink(p)) {
                    p.toFile().setWritable(true);
                }
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the contract site " + base, e);
        }
    }
}
