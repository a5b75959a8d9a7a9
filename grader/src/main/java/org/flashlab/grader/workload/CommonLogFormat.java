package org.flashlab.grader.workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads access logs in the Common Log Format, which Apache, nginx and the paper's servers write:
 * {@code host ident user [date] "GET /path HTTP/1.0" status bytes}. Replaying a real log is the
 * most honest workload there is; only successful GETs are kept, and lines that are not CLF are
 * counted, not guessed at.
 */
public final class CommonLogFormat {
    private static final Pattern LINE = Pattern.compile(
            "^\\S+ \\S+ \\S+ \\[[^\\]]+\\] \"(\\S+) (\\S+)(?: [^\"]*)?\" (\\d{3}) (\\d+|-)");

    /** The requests of a log: paths and the sizes the log says were sent. */
    public record Log(List<Request> requests, int skipped, int malformed) {}

    /** One replayable request. */
    public record Request(String path, long bytes) {}

    private CommonLogFormat() {}

    public static Log read(BufferedReader reader) throws IOException {
        List<Request> requests = new ArrayList<>();
        int skipped = 0;
        int malformed = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                malformed++;
                continue;
            }
            if (!m.group(1).equals("GET") || !m.group(3).startsWith("2")) {
                skipped++; // a POST, a 404 or a 304 does not replay as a file to serve
                continue;
            }
            requests.add(new Request(m.group(2), m.group(4).equals("-") ? 0 : Long.parseLong(m.group(4))));
        }
        return new Log(List.copyOf(requests), skipped, malformed);
    }
}
