package org.flashlab.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;

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
 */
public class StaticFileHandler {
    private final DocumentRoot root;

    public StaticFileHandler(DocumentRoot root) {
        this.root = root;
    }

    public DocumentRoot root() {
        return root;
    }

    /** Answers one request. Never throws for a client's mistake; those become 4xx responses. */
    public Response respond(HttpRequest request) {
        try {
            return switch (root.resolve(request.target())) {
                case DocumentRoot.Redirect redirect -> redirect(request, redirect.location());
                case DocumentRoot.Found found -> serve(request, found);
            };
        } catch (HttpException e) {
            // A refused path (traversal, NUL) is a client probing: answer and hang up.
            boolean keepAlive = request.keepAlive() && e.status() != HttpStatus.BAD_REQUEST;
            return Response.error(e.status(), keepAlive, request.isHead());
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

        FileChannel file = open(found);
        try {
            long size = file.size();
            // If-Range would need validators compared; ignoring Range and sending 200 is always allowed.
            ByteRange range = request.headers().get("If-Range") == null
                    ? ByteRange.parse(request.headers().get("Range"), size) : null;
            if (range == ByteRange.UNSATISFIABLE) {
                file.close();
                // 416 must state the current length (RFC 9110 section 15.5.17).
                return Response.error(HttpStatus.RANGE_NOT_SATISFIABLE, keepAlive, request.isHead(),
                        h -> h.header("Content-Range", "bytes */" + size));
            }
            HttpStatus status = range == null ? HttpStatus.OK : HttpStatus.PARTIAL_CONTENT;
            long position = range == null ? 0 : range.first();
            long count = range == null ? size : range.length();
            ResponseHead head = ResponseHead.status(status)
                    .header("Content-Type", MimeTypes.forFileName(found.path().getFileName().toString()))
                    .header("Content-Length", count)
                    .header("Last-Modified", lastModified)
                    .header("Accept-Ranges", "bytes");
            if (range != null) {
                head.header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size);
            }
            if (request.isHead()) {
                file.close();
                return Response.headOnly(status, head.build(keepAlive), keepAlive);
            }
            return Response.file(status, head.build(keepAlive), file, position, count, keepAlive);
        } catch (IOException e) {
            closeQuietly(file, e);
            throw new HttpException(HttpStatus.INTERNAL_SERVER_ERROR, "cannot read file size: " + e.getMessage());
        }
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
