package org.flashlab.grader.experiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.HdrHistogram.Histogram;

/**
 * An experiment's folder: {@code experiment.json} (the settings, the machine, the disk used) and
 * {@code results.jsonl}, one line per finished run, written and forced to disk as each run ends.
 * A crash or Ctrl-C loses at most the run in progress, and the same command resumes from here:
 * a run whose line exists is never measured again.
 */
final class ResultStore implements AutoCloseable {
    static final String SETTINGS = "experiment.json";
    static final String RESULTS = "results.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final List<JsonNode> lines;
    private final FileChannel out;

    private ResultStore(Path dir, List<JsonNode> lines, FileChannel out) {
        this.dir = dir;
        this.lines = lines;
        this.out = out;
    }

    /** A folder's settings and results, read for a report. */
    record Saved(Map<String, Object> settings, List<JsonNode> lines) {}

    /**
     * Opens {@code dir} for {@code identity}'s runs. Results saved there under other settings are
     * refused, not mixed in: the message says how to start over.
     */
    static ResultStore open(Path dir, Map<String, Object> identity, boolean fresh) throws IOException {
        Files.createDirectories(dir);
        Path settings = dir.resolve(SETTINGS);
        Path results = dir.resolve(RESULTS);
        if (fresh) {
            Files.deleteIfExists(settings);
            Files.deleteIfExists(results);
        }
        JsonNode wanted = JSON.valueToTree(identity);
        if (Files.exists(settings)) {
            JsonNode saved = JSON.readTree(settings.toFile()).get("identity");
            if (!wanted.equals(saved)) {
                throw new IllegalStateException(dir + " holds results of other settings (another spec, profile or "
                        + "version of this spec): add --fresh to discard them, or --out DIR to keep them");
            }
        } else {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("identity", identity);
            JSON.writerWithDefaultPrettyPrinter().writeValue(settings.toFile(), s);
        }
        List<JsonNode> lines = Files.exists(results) ? readLines(results) : new ArrayList<>();
        FileChannel out = FileChannel.open(results, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        return new ResultStore(dir, lines, out);
    }

    /** Adds facts to experiment.json (the machine, the disk mode the run really used). */
    void describe(String key, Object value) throws IOException {
        Path settings = dir.resolve(SETTINGS);
        Map<String, Object> s = JSON.readValue(settings.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
        s.put(key, value);
        JSON.writerWithDefaultPrettyPrinter().writeValue(settings.toFile(), s);
    }

    static Saved read(Path dir) throws IOException {
        Path settings = dir.resolve(SETTINGS);
        if (!Files.exists(settings)) {
            throw new IllegalArgumentException(dir + " holds no experiment (no " + SETTINGS + ")");
        }
        Map<String, Object> s = JSON.readValue(settings.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
        Path results = dir.resolve(RESULTS);
        return new Saved(s, Files.exists(results) ? readLines(results) : List.of());
    }

    /**
     * The lines of a results file. A last line cut short by a crash mid-write is dropped: its run is
     * measured again.
     */
    private static List<JsonNode> readLines(Path results) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(results, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    lines.add(JSON.readTree(line));
                } catch (IOException cutShort) {
                    break;
                }
            }
        }
        return lines;
    }

    List<JsonNode> lines() {
        return lines;
    }

    /** Whether run {@code key} finished (well or not) in an earlier or this session. */
    boolean done(String key) {
        return lines.stream().anyMatch(l -> "run".equals(l.path("type").asText()) && key.equals(l.path("key").asText()));
    }

    /** Appends one line and forces it to disk before returning. */
    synchronized void append(Map<String, Object> line) throws IOException {
        JsonNode node = JSON.valueToTree(line);
        byte[] bytes = (JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            out.write(b);
        }
        out.force(false);
        lines.add(node);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** A latency histogram in HdrHistogram's compressed form, base64: merged exactly, not averaged. */
    static String encode(Histogram h) {
        ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(b);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(b.array(), n));
    }

    static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("a latency histogram in the results is damaged", e);
        }
    }
}
