package org.flashlab.grader.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.HdrHistogram.Histogram;
import org.flashlab.grader.experiment.ExperimentSpec.Metric;
import org.flashlab.grader.run.Stats;

/**
 * One experiment's saved results, summarised: per point and server, every metric's mean with its
 * 95% interval over the repetitions, and the latency histograms of all repetitions merged exactly.
 * Reports are drawn from this, so they can be regenerated from the folder without running anything.
 */
record Analysis(Path dir, ExperimentSpec spec, String profile, List<String> points, List<String> pointDescriptions,
                List<String> servers, Map<String, Cell> cells, Map<String, String> notMeasured,
                Map<String, Object> machine, Map<String, Object> disk, int runs, int failedRuns, int plannedRuns,
                List<Claims.Verdict> verdicts) {

    /** What one server did at one point. */
    record Cell(Map<Metric, Stats> metrics, Histogram latency, List<String> failures, int clientSaturated) {
        Stats get(Metric m) {
            return metrics.getOrDefault(m, Stats.of());
        }
    }

    static String cellKey(String point, String server) {
        return point + "\u0000" + server;
    }

    Cell cell(String point, String server) {
        return cells.get(cellKey(point, server));
    }

    /** The experiment is complete when every planned run has a result (good or failed). */
    boolean complete() {
        return runs + failedRuns >= plannedRuns;
    }

    @SuppressWarnings("unchecked")
    static Analysis of(Path dir) throws IOException {
        ResultStore.Saved saved = ResultStore.read(dir);
        ObjectMapper json = ExperimentSpec.JSON;
        Map<String, Object> identity = (Map<String, Object>) saved.settings().get("identity");
        ExperimentSpec spec = json.convertValue(saved.settings().get("spec"), ExperimentSpec.class);
        String profile = (String) identity.get("profile");
        List<String> points = (List<String>) identity.get("points");
        int repetitions = ((Number) identity.get("repetitions")).intValue();
        List<String> descriptions = new ArrayList<>();
        Object described = saved.settings().get("points");
        if (described instanceof List<?> l) {
            for (Object o : l) {
                descriptions.add(String.valueOf(((Map<String, Object>) o).get("workload")));
            }
        }
        List<String> servers = spec.servers().stream().map(ExperimentSpec.ServerSpec::displayLabel).toList();
        Map<String, String> notMeasured = new LinkedHashMap<>();
        Map<String, List<JsonNode>> byCell = new LinkedHashMap<>();
        int runs = 0;
        int failed = 0;
        for (JsonNode line : saved.lines()) {
            String type = line.path("type").asText();
            String server = line.path("server").asText();
            switch (type) {
                case "skip" -> notMeasured.put(server, line.path("why").asText());
                case "smoke" -> {
                    if (line.path("ok").asBoolean()) {
                        notMeasured.remove(server); // a later session's check passed
                    } else {
                        notMeasured.put(server, "failed the smoke checks: " + line.path("why").asText());
                    }
                }
                case "run" -> {
                    byCell.computeIfAbsent(cellKey(line.path("point").asText(), server), k -> new ArrayList<>()).add(line);
                    if (line.path("ok").asBoolean()) {
                        runs++;
                    } else {
                        failed++;
                    }
                }
                default -> { }
            }
        }
        Map<String, Cell> cells = new LinkedHashMap<>();
        for (Map.Entry<String, List<JsonNode>> e : byCell.entrySet()) {
            Map<Metric, List<Double>> values = new LinkedHashMap<>();
            Histogram merged = null;
            List<String> failures = new ArrayList<>();
            int saturated = 0;
            for (JsonNode run : e.getValue()) {
                saturated += run.path("clientSaturated").asBoolean() ? 1 : 0;
                if (!run.path("ok").asBoolean()) {
                    failures.add("run " + run.path("rep").asInt() + ": " + run.path("failure").asText());
                    continue;
                }
                for (Metric m : Metric.values()) {
                    JsonNode v = run.path("metrics").path(m.name());
                    if (v.isNumber()) {
                        values.computeIfAbsent(m, k -> new ArrayList<>()).add(v.asDouble());
                    }
                }
                if (run.hasNonNull("latencyHistogram")) {
                    Histogram h = ResultStore.decode(run.get("latencyHistogram").asText());
                    if (merged == null) {
                        merged = h.copy();
                    } else {
                        merged.add(h);
                    }
                }
            }
            Map<Metric, Stats> stats = new LinkedHashMap<>();
            values.forEach((m, v) -> stats.put(m, Stats.of(v.stream().mapToDouble(Double::doubleValue).toArray())));
            cells.put(e.getKey(), new Cell(stats, merged, failures, saturated));
        }
        Map<String, Object> machine = (Map<String, Object>) saved.settings().getOrDefault("machine", Map.of());
        Map<String, Object> disk = (Map<String, Object>) saved.settings().getOrDefault("disk", Map.of());
        // Servers that could not run here (not installed) or failed their checks plan no runs.
        int planned = points.size() * repetitions * (int) servers.stream().filter(srv -> !notMeasured.containsKey(srv)).count();
        Analysis a = new Analysis(dir, spec, profile, points, descriptions, servers, cells, notMeasured, machine, disk,
                runs, failed, planned, List.of());
        return a.withVerdicts(Claims.check(a));
    }

    private Analysis withVerdicts(List<Claims.Verdict> v) {
        return new Analysis(dir, spec, profile, points, pointDescriptions, servers, cells, notMeasured, machine, disk,
                runs, failedRuns, plannedRuns, v);
    }
}
