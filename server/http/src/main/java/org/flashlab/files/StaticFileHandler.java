package org.flashlab.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

import org.flashlab.http.HttpDate;
import org.flashlab.http.HttpException;
import org.flashlab.http.HttpRequest;
import org.flashlab.http.HttpStatus;
import org.flashlab.http.MimeTypes;
import org.flashlab.http.Response;
import org.flashlab.http.ResponseHead;

/**
 * Turns a parsed request into a {@link Response}: the one piece of request processing that every
 * model shares, so that a diff between two models shows only how they handle concurrency.
 *
 * It opens the file (a blocking system call, which SPED pays for on its loop thread) but never
 * reads it: the model decides how the body's bytes reach the socket.
 *
 * Pathname translation (target to file: the lookups and stats of {@link DocumentRoot#resolve}) is
 * a step of its own, so that AMTED and AMPED can give it to a helper as Flash did: the loop asks
 * {@link #cached} (never blocks), on a miss a helper calls {@link #translate} (may block), and the
 * loop answers with {@link #respond(HttpRequest, Translation)}. Every other model calls
 * {@link #respond(HttpRequest)}, which does both on the caller's thread.
 */
public class StaticFileHandler implements AutoCloseable {
    private final DocumentRoot root;
    private final Optimizations optimizations;
    private final PathCache pathCache;          // null when off
    private final HeaderCache headerCache;      // null when off
    private final MappedFileCache mappedCache;  // null when off

    /** A handler with every optimization off: the plain version the first lessons build. */
    public StaticFileHandler(DocumentRoot root) {
        this(root, Optimizations.ALL_OFF);
    }

    public StaticFileHandler(DocumentRoot root, Optimizations optimizations) {
        this.root = root;
        this.optimizations = optimizations;
        this.pathCache = optimizations.pathCache() ? new PathCache(PathCache.DEFAULT_ENTRIES) : null;
        this.headerCache = optimizations.headerCache() ? new HeaderCache(PathCache.DEFAULT_ENTRIES) : null;
        this.mappedCache = optimizations.mappedFileCache() && optimizations.mappedCacheBytes() > 0
                ? new MappedFileCache(optimizations.mappedCacheBytes()) : null;
    }

    /**
     * Lets go of the mapped-file cache's mappings (responses still being sent keep theirs until they
     * are closed); later requests are served from the file. A server calls it when it stops: a
     * mapping is never left for the garbage collector.
     */
    @Override
    public void close() {
        if (mappedCache != null) {
            mappedCache.close();
        }
    }

    public DocumentRoot root() {
        return root;
    }

    public Optimizations optimizations() {
        return optimizations;
    }

    /**
     * A request target's translation: the file or redirect it leads to, or why it is refused
     * (exactly one of the two is set).
     */
    public record Translation(DocumentRoot.Resolution resolution, HttpException refusal) {
        public Translation {
            if ((resolution == null) == (refusal == null)) {
                throw new IllegalArgumentException("a translation is a resolution or a refusal");
            }
        }
    }

    /** Answers one request, translating its target here. Never throws for a client's mistake; those become 4xx responses. */
    public Response respond(HttpRequest request) {
        return respond(request, translate(request.target()));
    }

    /** Answers one request whose target is already translated (by a helper, in AMTED and AMPED). */
    public Response respond(HttpRequest request, Translation translation) {
        try {
            if (translation.refusal() != null) {
                throw translation.refusal();
            }
            return switch (translation.resolution()) {
                case DocumentRoot.Redirect redirect -> redirect(request, redirect.location());
                case DocumentRoot.Found found -> serve(request, found);
            };
        } catch (HttpException e) {
            // A refused path (traversal, NUL) is a client probing: answer and hang up.
            boolean keepAlive = request.keepAlive() && e.status() != HttpStatus.BAD_REQUEST;
            return Response.error(e.status(), keepAlive, request.isHead());
        }
    }

    /**
     * The target's translation when {@link #translate} would not touch the disk: the pathname cache
     * holds it (and, on an emulated disk, the file's metadata is still cached); else null. Never
     * blocks. With the pathname cache off it is always null: every translation is a lookup.
     */
    public Translation cached(String target) {
        DocumentRoot.Resolution cached = pathCache == null ? null : pathCache.get(target);
        if (cached == null) {
            return null;
        }
        SimulatedDisk disk = root.disk();
        boolean warm = disk == null || !(cached instanceof DocumentRoot.Found found) || disk.metadataMissing(found.path()) == 0;
        return warm ? new Translation(cached, null) : null;
    }

    /**
     * Translates a target to a file: from the pathname cache, or by asking the file system (which may
     * block on a cold directory or inode) and caching the answer. Any thread.
     */
    public Translation translate(String target) {
        try {
            DocumentRoot.Resolution cached = pathCache == null ? null : pathCache.get(target);
            if (cached == null) {
                cached = root.resolve(target); // refusals throw and are not cached
                remember(target, cached);
            }
            return new Translation(cached, null);
        } catch (HttpException e) {
            return new Translation(null, e);
        }
    }

    /** Caches a translation made elsewhere (AMPED's helper processes). No-op with the cache off. */
    public void remember(String target, DocumentRoot.Resolution resolution) {
        if (pathCache != null) {
            pathCache.put(target, resolution);
        }
    }

    private static Response redirect(HttpRequest request, String location) {
        byte[] page = ("<!doctype html>\n<a href=\"" + location + "\">" + location + "</a>\n")
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer head = ResponseHead.status(HttpStatus.MOVED_PERMANENTLY)
                .header("Location", location)
                .header("Content-Type", "text/html; charset=utf-8")
                .header("Content-Length", page.length)
                .build(request.keepAlive());
        return request.isHead()
                ? Response.headOnly(HttpStatus.MOVED_PERMANENTLY, head, request.keepAlive())
                : Response.bytes(HttpStatus.MOVED_PERMANENTLY, head, ByteBuffer.wrap(page), request.keepAlive());
    }

    private Response serve(HttpRequest request, DocumentRoot.Found found) throws HttpException {
        if (root.disk() != null) {
            root.disk().lookup(found.path()); // the stat and open below, emulated: warm after a translation
        }
        boolean keepAlive = request.keepAlive();
        String lastModified = HttpDate.format(found.lastModifiedSeconds());

        // RFC 9110 section 13.1.3: not modified since the client's copy, so send no body.
        long since = HttpDate.parse(request.headers().get("If-Modified-Since"));
        if (since >= 0 && found.lastModifiedSeconds() <= since) {
            ByteBuffer head = ResponseHead.status(HttpStatus.NOT_MODIFIED)
                    .header("Last-Modified", lastModified)
                    .build(keepAlive);
            return Response.headOnly(HttpStatus.NOT_MODIFIED, head, keepAlive);
        }

        String range = request.headers().get("If-Range") == null ? request.headers().get("Range") : null;
        if (range == null && mappedCache != null && !request.isHead()) {
            Response hit = fromMappedCache(found, keepAlive);
            if (hit != null) {
                return hit;
            }
        }
        FileChannel file = open(found);
        try {
            long size = file.size();
            // If-Range would need validators compared; ignoring Range and sending 200 is always allowed.
            ByteRange byteRange = ByteRange.parse(range, size);
            if (byteRange == ByteRange.UNSATISFIABLE) {
                file.close();
                // 416 must state the current length (RFC 9110 section 15.5.17).
                return Response.error(HttpStatus.RANGE_NOT_SATISFIABLE, keepAlive, request.isHead(),
                        h -> h.header("Content-Range", "bytes */" + size));
            }
            HttpStatus status = byteRange == null ? HttpStatus.OK : HttpStatus.PARTIAL_CONTENT;
            long position = byteRange == null ? 0 : byteRange.first();
            long count = byteRange == null ? size : byteRange.length();
            ByteBuffer head = byteRange == null
                    ? okHead(found, lastModified, size, keepAlive)
                    : rangeHead(found, lastModified, byteRange, size, keepAlive);
            if (request.isHead()) {
                file.close();
                return Response.headOnly(status, head, keepAlive);
            }
            return Response.file(status, head, file, position, count, keepAlive, found.path());
        } catch (IOException e) {
            closeQuietly(file, e);
            throw new HttpException(HttpStatus.INTERNAL_SERVER_ERROR, "cannot read file size: " + e.getMessage());
        }
    }

    /** A 200 served from a cached mapping: no open, no read. Null when the file is not cacheable. */
    private Response fromMappedCache(DocumentRoot.Found found, boolean keepAlive)
            throws HttpException {
        MappedFileCache.Lease lease;
        BasicFileAttributes now;
        try {
            // One stat per request, even with the path cache on: serving a mapping of a file that
            // has since been rewritten would send stale or truncated bytes.
            now = Files.readAttributes(found.path(), BasicFileAttributes.class);
            lease = mappedCache.get(found.path(), now.lastModifiedTime().toMillis(), now.size());
        } catch (AccessDeniedException e) {
            throw new HttpException(HttpStatus.FORBIDDEN, "permission denied");
        } catch (NoSuchFileException e) {
            throw new HttpException(HttpStatus.NOT_FOUND, "file vanished");
        } catch (IOException e) {
            // EMFILE, ENOMEM ("Map failed"): the server's trouble, not a missing file (a 404 is cacheable).
            throw new HttpException(HttpStatus.INTERNAL_SERVER_ERROR, "cannot map: " + e.getMessage());
        }
        if (lease == null) {
            return null;
        }
        DocumentRoot.Found fresh = new DocumentRoot.Found(found.path(), now.lastModifiedTime().toMillis() / 1000);
        ByteBuffer head = okHead(fresh, HttpDate.format(fresh.lastModifiedSeconds()), lease.body().capacity(), keepAlive);
        // The lease's body has its own position and limit over the shared mapping; the response
        // holds the lease, so the mapping outlives the send and is unmapped once nobody needs it.
        return Response.mapped(HttpStatus.OK, head, lease.body(), keepAlive, found.path(), lease);
    }

    private ByteBuffer okHead(DocumentRoot.Found found, String lastModified, long size, boolean keepAlive) {
        if (headerCache != null) {
            byte[] tail = headerCache.tail(found.path(), keepAlive, found.lastModifiedSeconds(), size);
            if (tail == null) {
                ByteBuffer full = fileHead(HttpStatus.OK, found, lastModified, size).build(keepAlive);
                tail = ResponseHead.afterPrefix(full);
                headerCache.put(found.path(), keepAlive, found.lastModifiedSeconds(), size, tail);
            }
            return headerCache.okHead(tail);
        }
        return fileHead(HttpStatus.OK, found, lastModified, size).build(keepAlive);
    }

    private static ByteBuffer rangeHead(DocumentRoot.Found found, String lastModified, ByteRange range, long size,
                                        boolean keepAlive) {
        return fileHead(HttpStatus.PARTIAL_CONTENT, found, lastModified, range.length())
                .header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size)
                .build(keepAlive);
    }

    private static ResponseHead fileHead(HttpStatus status, DocumentRoot.Found found, String lastModified, long length) {
        return ResponseHead.status(status)
                .header("Content-Type", MimeTypes.forFileName(found.path().getFileName().toString()))
                .header("Content-Length", length)
                .header("Last-Modified", lastModified)
                .header("Accept-Ranges", "bytes");
    }

    private static FileChannel open(DocumentRoot.Found found) throws HttpException {
        try {
            return FileChannel.open(found.path(), StandardOpenOption.READ);
        } catch (AccessDeniedException e) {
            throw new HttpException(HttpStatus.FORBIDDEN, "permission denied");
        } catch (NoSuchFileException e) {
            throw new HttpException(HttpStatus.NOT_FOUND, "file vanished");
        } catch (IOException e) {
            throw new HttpException(HttpStatus.INTERNAL_SERVER_ERROR, "cannot open: " + e.getMessage());
        }
    }

    private static void closeQuietly(FileChannel file, IOException cause) {
        try {
            file.close();
        } catch (IOException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }
}
