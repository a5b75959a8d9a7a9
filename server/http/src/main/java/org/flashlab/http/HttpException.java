package org.flashlab.http;

/**
 * A request the server refuses, with the status to answer it. Thrown by the parser and the
 * document root; every model turns it into an error response through {@link Response#error}.
 */
public final class HttpException extends Exception {
    private final HttpStatus status;

    public HttpException(HttpStatus status, String detail) {
        super(detail);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }
}
