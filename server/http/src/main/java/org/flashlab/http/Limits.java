package org.flashlab.http;

/**
 * Bounds on what the parser buffers for one request. Without them one client could make the
 * server hold unbounded memory. The defaults match nginx's large_client_header_buffers (8 KB lines)
 * and Jetty's 100-header cap.
 *
 * @param maxRequestLine   bytes in the request line; longer gets 414
 * @param maxHeaderLine    bytes in one header line; longer gets 431
 * @param maxHeaderCount   header lines; more gets 431
 * @param maxHeaderSection bytes in all header lines together; more gets 431
 */
public record Limits(int maxRequestLine, int maxHeaderLine, int maxHeaderCount, int maxHeaderSection) {
    public static final Limits DEFAULT = new Limits(8 * 1024, 8 * 1024, 100, 32 * 1024);

    public Limits {
        if (maxRequestLine < 16 || maxHeaderLine < 16 || maxHeaderCount < 1 || maxHeaderSection < maxHeaderLine) {
            throw new IllegalArgumentException("limits too small: " + maxRequestLine + "/" + maxHeaderLine
                    + "/" + maxHeaderCount + "/" + maxHeaderSection);
        }
    }
}
