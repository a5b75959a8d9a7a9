package org.flashlab.lesson05;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

import org.flashlab.files.DocumentRoot;
import org.flashlab.files.Optimizations;
import org.flashlab.files.StaticFileHandler;
import org.flashlab.http.HttpDate;
import org.flashlab.http.HttpException;
import org.flashlab.http.HttpRequest;
import org.flashlab.http.HttpStatus;
import org.flashlab.http.MimeTypes;
import org.flashlab.http.Response;
import org.flashlab.http.ResponseHead;
import org.flashlab.server.ServerConfig;

/**
 * Given: the request path with your three caches in it. A plain GET of a file, the request a busy
 * static server sees most, takes the fast path:
 *
 * <pre>
 *   target --PathnameCache--> file --stat--> (mtime, size) --HeaderCache--> head
 *                                                          --MappedFileCache--> body (else open the file)
 * </pre>
 *
 * Everything else (HEAD, ranges, conditional requests, redirects, errors) goes to the shared
 * handler with every optimization off, which knows HTTP's rules; the fast path makes the same
 * answer, only with less work. Each cache is used only when its switch in
 * {@code ServerConfig.optimizations()} is on.
 *
 * One stat per request, even on a pathname-cache hit: it is what lets the header and mapped-file
 * caches notice a changed file (their keys hold its modification time and size), and it finds a file
 * that has gone (the pathname cache then forgets it). On the emulated disk (--sim-disk-cache-mb),
 * path lookups pay its misses here, and file bytes in the Sender, as the shared layer's do.
 *
 * Loop thread only.
 */
public final class FlashHandler implements AutoCloseable {
    /** As many entries as Flash's caches had. */
    public static final int ENTRIES = 6_000;
    /** The largest file the mapped-file cache takes. */
    public static final long LARGEST_MAPPED = 1024 * 1024;

    private final DocumentRoot root;
    private final StaticFileHandler plain;
    private final PathnameCache paths;     // null when switched off
    private final HeaderCache heads;       // null when switched off
    private final MappedFileCache mapped;  // null when switched off

    public FlashHandler(ServerConfig config) throws IOException {
        this.root = new DocumentRoot(config.docroot(), config.simulatedDisk());
        this.plain = new StaticFileHandler(root, Optimizations.ALL_OFF);
        Optimizations o = config.optimizations();
        this.paths = o.pathCache() ? new PathnameCache(ENTRIES) : null;
        this.heads = o.headerCache() ? new HeaderCache(ENTRIES) : null;
        this.mapped = o.mappedFileCache() && o.mappedCacheBytes() > 0
                ? new MappedFileCache(o.mappedCacheBytes(), LARGEST_MAPPED) : null;
    }

    /** The caches, for tests: null when switched off. */
    public PathnameCache pathnameCache() {
        return paths;
    }

    public HeaderCache headerCache() {
        return heads;
    }

    public MappedFileCache mappedFileCache() {
        return mapped;
    }

    /** Answers one request. Never throws for a client's mistake: those become 4xx answers. */
    public Response respond(HttpRequest request) {
        if (!request.method().equals("GET") || request.headers().get("Range") != null
                || request.headers().get("If-Range") != null || request.headers().get("If-Modified-Since") != null) {
            return plain.respond(request);
        }
        String target = request.target();
        DocumentRoot.Found found = paths == null ? null : paths.get(target);
        if (found == null) {
            try {
                if (!(root.resolve(target) instanceof DocumentRoot.Found resolved)) {
                    return plain.respond(request); // a redirect (a directory without its slash)
                }
                found = resolved;
            } catch (HttpException e) {
                return plain.respond(request); // refused (404, 403, 400): the plain handler says how
            }
            if (paths != null) {
                paths.put(target, found);
            }
        }
        try {
            BasicFileAttributes now = Files.readAttributes(found.path(), BasicFileAttributes.class);
            if (!now.isRegularFile()) {
                return plain.respond(request);
            }
            return serve(found, now, request.keepAlive());
        } catch (NoSuchFileException e) {
            if (paths != null) {
                paths.remove(target); // the file has gone since it was cached
            }
            return plain.respond(request);
        } catch (IOException e) {
            return plain.respond(request); // it finds the same trouble, and answers with the right status
        }
    }

    private Response serve(DocumentRoot.Found found, BasicFileAttributes now, boolean keepAlive) throws IOException {
        long size = now.size();
        long modifiedMillis = now.lastModifiedTime().toMillis();
        long modifiedSeconds = modifiedMillis / 1000;
        ByteBuffer head = heads == null ? okHead(found, modifiedSeconds, size, keepAlive)
                : heads.okHead(found.path(), modifiedSeconds, size, keepAlive, () -> okHead(found, modifiedSeconds, size, keepAlive));
        ByteBuffer body = mapped == null ? null : mapped.get(found.path(), modifiedMillis, size);
        if (body != null) {
            // No lease: an evicted mapping is the garbage collector's to unmap. The source lets the
            // emulated disk charge for the bytes as it would for an open file.
            return Response.mapped(HttpStatus.OK, head, body, keepAlive, found.path(), null);
        }
        FileChannel file = FileChannel.open(found.path(), StandardOpenOption.READ);
        return Response.file(HttpStatus.OK, head, file, 0, size, keepAlive, found.path());
    }

    /** The head of a 200, as the shared handler builds it. */
    private static ByteBuffer okHead(DocumentRoot.Found found, long modifiedSeconds, long size, boolean keepAlive) {
        return ResponseHead.status(HttpStatus.OK)
                .header("Content-Type", MimeTypes.forFileName(found.path().getFileName().toString()))
                .header("Content-Length", size)
                .header("Last-Modified", HttpDate.format(modifiedSeconds))
                .header("Accept-Ranges", "bytes")
                .build(keepAlive);
    }

    @Override
    public void close() {
        plain.close();
    }
}
