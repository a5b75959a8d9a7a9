package org.flashlab.files;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.Deque;

import org.flashlab.http.HttpException;
import org.flashlab.http.HttpStatus;

/**
 * Maps a request target to a file inside the document root, and refuses everything else.
 *
 * The order matters, and each step closes a known hole:
 * <ol>
 *   <li>cut the query; percent-decode to bytes, then UTF-8 (malformed: 400);</li>
 *   <li>refuse NUL (C-level path truncation) and backslash (a separator on other systems): 400;</li>
 *   <li>normalise "." and ".." segments <em>after</em> decoding, so "%2e%2e" is caught; a ".." that
 *       would climb above the root is a traversal attempt: 400;</li>
 *   <li>refuse hidden segments (".git", ".env"): 404, as the JDK's jwebserver does;</li>
 *   <li>resolve symlinks with toRealPath and require the result to stay inside the real root; a link
 *       that escapes gets 404, so the server does not even confirm where it points;</li>
 *   <li>serve only regular files: a FIFO or device would block or never end;</li>
 *   <li>a directory redirects to its slash form (so relative links work), then serves index.html,
 *       or 403: directory listings are deliberately left out.</li>
 * </ol>
 * Unreadable files get 403. Root can read anything, so "unreadable" also means "its owner-read
 * permission bit is clear": a chmod 000 file is private even when the server runs as root.
 */
public final class DocumentRoot {
    public static final String INDEX = "index.html";

    /** What a target maps to. */
    public sealed interface Resolution permits Found, Redirect {}

    /** A readable regular file. */
    public record Found(Path path, long lastModifiedSeconds) implements Resolution {}

    /** A directory named without its trailing slash. */
    public record Redirect(String location) implements Resolution {}

    private final Path realRoot;
    private final SimulatedDisk disk; // charges metadata misses; null for the real disk alone

    /** @throws IOException when the root is missing or not a directory */
    public DocumentRoot(Path root) throws IOException {
        this(root, null);
    }

    /**
     * A root whose lookups also pay an emulated disk's metadata misses, on the thread that resolves.
     *
     * @throws IOException when the root is missing or not a directory
     */
    public DocumentRoot(Path root, SimulatedDisk disk) throws IOException {
        Path real = root.toRealPath();
        if (!Files.isDirectory(real)) {
            throw new NotDirectoryException(root.toString());
        }
        this.realRoot = real;
        this.disk = disk;
    }

    /** The emulated disk this root charges, or null. */
    public SimulatedDisk disk() {
        return disk;
    }

    public Path path() {
        return realRoot;
    }

    /** A target taken apart, before the file system is asked anything. */
    private record Parsed(String rawPath, Deque<String> segments, Path candidate) {}

    /**
     * Where a target would lead before links are resolved: steps 1 to 4 above, which ask the file
     * system nothing and so never block. AMPED's loop uses it to charge an emulated disk's metadata
     * miss to the helper that will resolve the target.
     */
    public Path candidate(String target) throws HttpException {
        return parse(target).candidate();
    }

    /** Maps a raw, percent-encoded request target such as "/docs/a%20b.html?x=1". Asks the file system. */
    public Resolution resolve(String target) throws HttpException {
        Parsed parsed = parse(target);
        String rawPath = parsed.rawPath();
        Path real = confined(parsed.candidate());
        if (Files.isDirectory(real)) {
            if (!rawPath.endsWith("/")) {
                // Built from the normalised segments, never from the raw target: "//evil.example/.."
                // names the root, and echoing it would send the browser to another host.
                return new Redirect(encode(parsed.segments()) + "/");
            }
            try {
                real = confined(real.resolve(INDEX));
            } catch (HttpException e) {
                throw new HttpException(HttpStatus.FORBIDDEN, "directory has no " + INDEX + "; listings are off");
            }
        } else if (rawPath.endsWith("/")) {
            throw new HttpException(HttpStatus.NOT_FOUND, "a file named as a directory");
        }
        return found(real);
    }

    private Parsed parse(String target) throws HttpException {
        String rawPath = target;
        int query = rawPath.indexOf('?');
        if (query >= 0) {
            rawPath = rawPath.substring(0, query);
        }
        String path = decode(rawPath);
        if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "NUL or backslash in path");
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    throw new HttpException(HttpStatus.BAD_REQUEST, "path climbs above the document root");
                }
                segments.removeLast();
                continue;
            }
            segments.addLast(segment);
        }
        Path candidate = realRoot;
        for (String segment : segments) {
            if (segment.startsWith(".")) {
                throw new HttpException(HttpStatus.NOT_FOUND, "hidden files are not served");
            }
            candidate = candidate.resolve(segment);
        }
        return new Parsed(rawPath, segments, candidate);
    }

    /** Resolves links and checks that the result is still inside the root. */
    private Path confined(Path candidate) throws HttpException {
        if (disk != null) {
            disk.lookup(candidate); // the directory lookups and stat that toRealPath makes, emulated
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw new HttpException(HttpStatus.NOT_FOUND, "no such file");
        } catch (AccessDeniedException e) {
            throw new HttpException(HttpStatus.FORBIDDEN, "permission denied");
        } catch (IOException e) {
            throw new HttpException(HttpStatus.NOT_FOUND, "cannot resolve: " + e.getMessage());
        }
        if (!real.startsWith(realRoot)) {
            // A symlink that points outside the root: answer as if it did not exist.
            throw new HttpException(HttpStatus.NOT_FOUND, "link leaves the document root");
        }
        return real;
    }

    private static Found found(Path real) throws HttpException {
        BasicFileAttributes attributes;
        boolean ownerCanRead;
        try {
            if (Files.getFileAttributeView(real, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
                PosixFileAttributes posix = Files.readAttributes(real, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                attributes = posix;
                ownerCanRead = posix.permissions().contains(PosixFilePermission.OWNER_READ);
            } else {
                attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                ownerCanRead = true;
            }
        } catch (IOException e) {
            throw new HttpException(HttpStatus.NOT_FOUND, "cannot stat: " + e.getMessage());
        }
        if (!attributes.isRegularFile()) {
            throw new HttpException(HttpStatus.NOT_FOUND, "not a regular file");
        }
        if (!ownerCanRead || !Files.isReadable(real)) {
            throw new HttpException(HttpStatus.FORBIDDEN, "file is not readable");
        }
        return new Found(real, attributes.lastModifiedTime().toMillis() / 1000);
    }

    /** Percent-encodes segments back into a path; only unreserved characters (RFC 3986 2.3) stay bare. */
    static String encode(Iterable<String> segments) {
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            path.append('/');
            for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xff);
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                    path.append(c);
                } else {
                    path.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
                }
            }
        }
        return path.toString();
    }

    /** Percent-decodes a path to UTF-8 text; "+" stays "+" in paths (it means space only in forms). */
    static String decode(String raw) throws HttpException {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes.write(c);
                continue;
            }
            if (i + 2 >= raw.length()) {
                throw new HttpException(HttpStatus.BAD_REQUEST, "truncated percent-escape");
            }
            int hi = Character.digit(raw.charAt(i + 1), 16);
            int lo = Character.digit(raw.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                throw new HttpException(HttpStatus.BAD_REQUEST, "malformed percent-escape");
            }
            bytes.write(hi << 4 | lo);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "path is not UTF-8");
        }
    }
}
