package org.flashlab.files;

/**
 * The Flash paper's optimizations (section 5), each switchable so that an experiment can measure
 * what it is worth (the paper's Figure 10 runs all eight combinations of the first three). With
 * every one off, a server is still correct, only slower.
 *
 * @param pathCache        remember what each request target resolved to, skipping the
 *                         decode/normalise/realpath/stat work (the paper's pathname translation cache)
 * @param headerCache      remember the header block of each file's 200 response; only the Date line
 *                         is made afresh (the paper's response header cache)
 * @param mappedFileCache  keep files memory-mapped in a byte-bounded LRU, so a hit costs no open()
 *                         and no read() (the paper's mapped-file cache)
 * @param mappedCacheBytes the mapped-file cache's bound in bytes (Flash used 128 MB)
 * @param gatherWrites     send header and body with one vectored write instead of two writes
 * @param zeroCopy         send file regions with sendfile(2) (FileChannel.transferTo) instead of
 *                         read() into a buffer and write() from it
 */
public record Optimizations(boolean pathCache, boolean headerCache, boolean mappedFileCache, long mappedCacheBytes,
                            boolean gatherWrites, boolean zeroCopy) {
    public static final long DEFAULT_MAPPED_CACHE_BYTES = 128L * 1024 * 1024;

    public static final Optimizations ALL_ON = new Optimizations(true, true, true, DEFAULT_MAPPED_CACHE_BYTES, true, true);
    public static final Optimizations ALL_OFF = new Optimizations(false, false, false, DEFAULT_MAPPED_CACHE_BYTES, false, false);

    public Optimizations {
        if (mappedCacheBytes < 0) {
            throw new IllegalArgumentException("mapped cache size must not be negative: " + mappedCacheBytes);
        }
    }

    /** A short description for logs and benchmark tables, for example "path+header+mapped+gather+zerocopy". */
    public String label() {
        StringBuilder s = new StringBuilder();
        if (pathCache) s.append("+path");
        if (headerCache) s.append("+header");
        if (mappedFileCache) s.append("+mapped");
        if (gatherWrites) s.append("+gather");
        if (zeroCopy) s.append("+zerocopy");
        return s.isEmpty() ? "none" : s.substring(1);
    }
}
