package org.flashlab.files;

/**
 * A single byte range from a Range header (RFC 9110 section 14.1.2), resolved against a file size.
 * Several ranges in one header are ignored and the whole file is sent, which RFC 9110 section 14.2
 * allows; multipart/byteranges responses are deliberately left out.
 *
 * @param first first byte offset, inclusive
 * @param last  last byte offset, inclusive
 */
record ByteRange(long first, long last) {

    /** Marks a syntactically valid range that lies wholly past the end of the file: 416. */
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    long length() {
        return last - first + 1;
    }

    /**
     * Reads a Range header. Returns null when it should be ignored (absent, malformed, not bytes, or
     * several ranges), UNSATISFIABLE for 416, or the range clipped to the file.
     */
    static ByteRange parse(String header, long size) {
        if (header == null || !header.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        String spec = header.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.indexOf(',') >= 0) {
            return null;
        }
        long start = digits(spec.substring(0, dash));
        long end = digits(spec.substring(dash + 1));
        if (dash == 0) { // "-N": the last N bytes
            if (end < 0) {
                return null;
            }
            if (end == 0 || size == 0) {
                return UNSATISFIABLE;
            }
            return new ByteRange(Math.max(0, size - end), size - 1);
        }
        if (start < 0 || (dash < spec.length() - 1 && end < 0) || (end >= 0 && end < start)) {
            return null;
        }
        if (start >= size) {
            return UNSATISFIABLE;
        }
        long last = end < 0 ? size - 1 : Math.min(end, size - 1);
        return new ByteRange(start, last);
    }

    /** Parses a non-empty run of at most 18 digits, or returns -1. */
    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(s);
    }
}
