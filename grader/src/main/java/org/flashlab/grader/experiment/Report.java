package org.flashlab.grader.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.flashlab.grader.experiment.ExperimentSpec.Chart;
import org.flashlab.grader.experiment.ExperimentSpec.Metric;
import org.flashlab.grader.run.Stats;

/**
 * Writes a results folder's reports, from the saved results alone: {@code report.html} (self-contained:
 * Apache ECharts is inlined, so it opens offline and from a mail attachment), {@code results.json}
 * (every run's raw data, latency histograms in HdrHistogram's lossless encoding), {@code results.csv}
 * (a row per run) and {@code summary.md} (the conclusions and the tables).
 */
final class Report {
    /** Where the webjar keeps its version, and then its library: a new version in the POM needs no edit here. */
    static final String ECHARTS_POM = "/META-INF/maven/org.webjars.npm/echarts/pom.properties";
    static final String ECHARTS = "/META-INF/resources/webjars/echarts/%s/dist/echarts.min.js";
    /** One colour per server, the same in every chart of a report. */
    private static final List<String> PALETTE = List.of("#5470c6", "#ee6666", "#91cc75", "#fac858", "#73c0de",
            "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc", "#333333");

    private Report() {}

    /** The experiments a folder holds: itself, or its sub-folders in the suite's order. */
    static List<Path> experiments(Path dir) throws IOException {
        if (Files.exists(dir.resolve(ResultStore.SETTINGS))) {
            return List.of(dir);
        }
        Path suite = dir.resolve(Suite.FILE);
        List<Path> found = new ArrayList<>();
        if (Files.exists(suite)) {
            for (JsonNode n : new ObjectMapper().readTree(suite.toFile()).path("include")) {
                Path child = dir.resolve(n.asText());
                if (Files.exists(child.resolve(ResultStore.SETTINGS))) {
                    found.add(child);
                }
            }
        } else if (Files.isDirectory(dir)) {
            try (Stream<Path> children = Files.list(dir)) {
                children.filter(c -> Files.exists(c.resolve(ResultStore.SETTINGS))).sorted().forEach(found::add);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException(dir + " holds no experiment results (no " + ResultStore.SETTINGS
                    + " in it or in its folders): run ./flashlab experiment first");
        }
        return found;
    }

    /** The title a folder's report gets: its suite's or its spec's, with the profile. */
    @SuppressWarnings("unchecked")
    static String title(Path dir) throws IOException {
        Path suite = dir.resolve(Suite.FILE);
        if (Files.exists(suite)) {
            JsonNode n = new ObjectMapper().readTree(suite.toFile());
            return n.path("title").asText(n.path("name").asText());
        }
        Analysis a = Analysis.of(experiments(dir).getFirst());
        return (a.spec().title() != null ? a.spec().title() : a.spec().name()) + " (" + a.profile() + " profile)";
    }

    /** Writes the four reports into {@code dir}; returns the HTML report's path. */
    static Path write(Path dir, String title) throws IOException {
        List<Analysis> all = new ArrayList<>();
        for (Path p : experiments(dir)) {
            all.add(Analysis.of(p));
        }
        Files.writeString(dir.resolve("report.html"), html(all, title));
        Files.writeString(dir.resolve("summary.md"), markdown(all, title));
        Files.writeString(dir.resolve("results.csv"), csv(all));
        writeJson(all, dir.resolve("results.json"));
        return dir.resolve("report.html");
    }

    // ---- HTML ----

    static String html(List<Analysis> all, String title) throws IOException {
        StringBuilder body = new StringBuilder();
        List<Map<String, Object>> charts = new ArrayList<>();
        Map<String, Object> machine = all.getFirst().machine();
        body.append("<header><h1>").append(esc(title)).append("</h1>\n<p class=\"sub\">Flashlab experiments report, ")
                .append("regenerated from the saved results with <code>./flashlab report DIR</code>.</p></header>\n");
        body.append("<section id=\"machine\"><h2>The machine</h2><table class=\"facts\">");
        for (Map.Entry<String, Object> e : machine.entrySet()) {
            body.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(String.valueOf(e.getValue())))
                    .append("</td></tr>");
        }
        body.append("</table></section>\n");
        body.append("<section id=\"conclusions\"><h2>Conclusions</h2>\n<p>Each claim of the paper that an experiment "
                + "names, checked against what was measured here. A claim <b>held</b> where the 95% confidence intervals "
                + "say so; where they overlap the servers are <b>not distinguishable</b>, whatever their means.</p><ul>\n");
        for (Analysis a : all) {
            for (Claims.Verdict v : a.verdicts()) {
                body.append("<li class=\"").append(v.outcome().name().toLowerCase(Locale.ROOT)).append("\"><b>")
                        .append(esc(v.claim())).append(": ").append(esc(v.outcome().words)).append("</b>. ")
                        .append(esc(v.evidence())).append(" <span class=\"from\">(").append(esc(a.spec().name()))
                        .append(")</span></li>\n");
            }
        }
        body.append("</ul></section>\n<nav><h2>Experiments</h2><ol>");
        for (Analysis a : all) {
            body.append("<li><a href=\"#").append(esc(a.spec().name())).append("\">").append(esc(titleOf(a)))
                    .append("</a></li>");
        }
        body.append("</ol></nav>\n");
        for (Analysis a : all) {
            section(a, body, charts);
        }
        Map<String, Object> data = Map.of("charts", charts);
        String json = new ObjectMapper().writeValueAsString(data).replace("</", "<\\/");
        // The library goes in last: nothing in it is mistaken for a placeholder.
        return TEMPLATE.replace("{{title}}", esc(title)).replace("{{script}}", SCRIPT).replace("{{data}}", json)
                .replace("{{body}}", body.toString()).replace("{{echarts}}", echarts());
    }

    private static String titleOf(Analysis a) {
        return a.spec().title() != null ? a.spec().title() : a.spec().name();
    }

    private static void section(Analysis a, StringBuilder b, List<Map<String, Object>> charts) {
        ExperimentSpec s = a.spec();
        b.append("<section class=\"experiment\" id=\"").append(esc(s.name())).append("\"><h2>").append(esc(titleOf(a)))
                .append("</h2>\n");
        if (s.purpose() != null) {
            b.append("<p>").append(esc(s.purpose())).append("</p>\n");
        }
        List<String> facts = new ArrayList<>();
        facts.add("profile <b>" + esc(a.profile()) + "</b>");
        facts.add(a.runs() + " runs measured, " + a.failedRuns() + " failed, of " + a.plannedRuns() + " planned"
                + (a.complete() ? "" : " (<b>incomplete</b>: run the same command again to finish it)"));
        Object diskNote = a.disk().get("note");
        if (diskNote != null) {
            facts.add("disk: " + esc(String.valueOf(diskNote)));
        }
        if (!a.pointDescriptions().isEmpty()) {
            facts.add("workload: " + esc(String.join("; ", a.pointDescriptions().stream().distinct().toList())));
        }
        b.append("<ul class=\"facts\">");
        facts.forEach(f -> b.append("<li>").append(f).append("</li>"));
        b.append("</ul>\n");
        for (Map.Entry<String, String> e : a.notMeasured().entrySet()) {
            b.append("<p class=\"warn\">Not measured: <b>").append(esc(e.getKey())).append("</b>: ")
                    .append(esc(e.getValue())).append("</p>\n");
        }
        List<Metric> metrics = s.metricList();
        for (int i = 0; i < metrics.size(); i++) {
            Metric m = metrics.get(i);
            String id = "chart-" + charts.size();
            String figure = s.figures() != null && i < s.figures().size() ? "Paper's Figure " + s.figures().get(i) + ": " : "";
            String caption = figure + m.label + (a.points().size() > 1 ? " against " + axisLabel(s) : "");
            boolean errorBars = s.chartKind() != Chart.bars || a.points().size() == 1;
            b.append("<figure><div class=\"chart\" id=\"").append(id).append("\"></div><figcaption>").append(esc(caption))
                    .append(errorBars ? ". Error bars: 95% confidence intervals over the repetitions."
                            : ". The table below gives each bar's 95% confidence interval.")
                    .append("</figcaption></figure>\n");
            charts.add(chart(a, m, id, caption));
            table(a, m, b);
        }
        List<String> failures = new ArrayList<>();
        for (String p : a.points()) {
            for (String srv : a.servers()) {
                Analysis.Cell c = a.cell(p, srv);
                if (c != null) {
                    c.failures().forEach(f -> failures.add(srv + " at " + p + ", " + f));
                }
            }
        }
        if (!failures.isEmpty()) {
            b.append("<details class=\"warn\"><summary>").append(failures.size()).append(" failed runs</summary><ul>");
            failures.forEach(f -> b.append("<li><pre>").append(esc(f)).append("</pre></li>"));
            b.append("</ul></details>\n");
        }
        if (!a.verdicts().isEmpty()) {
            b.append("<h3>Conclusions</h3><ul>");
            for (Claims.Verdict v : a.verdicts()) {
                b.append("<li class=\"").append(v.outcome().name().toLowerCase(Locale.ROOT)).append("\"><b>")
                        .append(esc(v.claim())).append(": ").append(esc(v.outcome().words)).append("</b>. ")
                        .append(esc(v.evidence())).append("</li>");
            }
            b.append("</ul>\n");
        }
        b.append("</section>\n");
    }

    private static String axisLabel(ExperimentSpec s) {
        return s.sweep().label() != null ? s.sweep().label() : s.sweep().parameter().name();
    }

    private static Map<String, Object> chart(Analysis a, Metric m, String id, String caption) {
        ExperimentSpec s = a.spec();
        boolean bars = s.chartKind() == Chart.bars;
        List<Map<String, Object>> series = new ArrayList<>();
        if (!bars) {
            for (int k = 0; k < a.servers().size(); k++) {
                String srv = a.servers().get(k);
                List<Object> means = new ArrayList<>();
                List<Object> ci = new ArrayList<>();
                for (int x = 0; x < a.points().size(); x++) {
                    Stats st = stats(a, a.points().get(x), srv, m);
                    means.add(st.n() == 0 ? null : round(st.mean()));
                    if (st.n() > 1) {
                        ci.add(List.of(x, round(st.low()), round(st.high())));
                    }
                }
                series.add(Map.of("name", srv, "color", PALETTE.get(k % PALETTE.size()), "mean", means, "ci", ci));
            }
        } else {
            for (int x = 0; x < a.points().size(); x++) {
                String p = a.points().get(x);
                List<Object> means = new ArrayList<>();
                List<Object> ci = new ArrayList<>();
                for (int k = 0; k < a.servers().size(); k++) {
                    Stats st = stats(a, p, a.servers().get(k), m);
                    means.add(st.n() == 0 ? null : round(st.mean()));
                    if (st.n() > 1 && a.points().size() == 1) {
                        ci.add(List.of(k, round(st.low()), round(st.high())));
                    }
                }
                series.add(Map.of("name", p.equals("-") ? m.label : p, "color", PALETTE.get(x % PALETTE.size()),
                        "mean", means, "ci", ci));
            }
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("title", caption);
        c.put("kind", bars ? "bars" : "lines");
        c.put("x", bars ? a.servers() : a.points());
        c.put("xLabel", bars ? "" : axisLabel(s));
        c.put("yLabel", m.label);
        c.put("series", series);
        return c;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static Stats stats(Analysis a, String point, String server, Metric m) {
        Analysis.Cell c = a.cell(point, server);
        return c == null ? Stats.of() : c.get(m);
    }

    private static void table(Analysis a, Metric m, StringBuilder b) {
        b.append("<table class=\"results\"><caption>").append(esc(m.label)).append(": mean ± half the 95% interval (n runs)")
                .append("</caption><tr><th>server</th>");
        for (String p : a.points()) {
            b.append("<th>").append(esc(p.equals("-") ? "" : p)).append("</th>");
        }
        b.append("</tr>");
        boolean anySaturated = false;
        for (String srv : a.servers()) {
            b.append("<tr><th>").append(esc(srv)).append("</th>");
            for (String p : a.points()) {
                Stats st = stats(a, p, srv, m);
                Analysis.Cell c = a.cell(p, srv);
                boolean saturated = c != null && c.clientSaturated() > 0;
                anySaturated |= saturated;
                b.append("<td>").append(esc(Claims.format(st, m))).append(st.n() > 0 ? " <small>(" + st.n() + ")</small>" : "")
                        .append(saturated ? " <span title=\"the load generator used all its core\">&#8225;</span>" : "")
                        .append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</table>\n");
        if (anySaturated) {
            b.append("<p class=\"note\">&#8225; In some of these runs the load generator used all of its core: they "
                    + "measured the client as much as the server, which may be faster than shown.</p>\n");
        }
    }

    private static String echarts() throws IOException {
        java.util.Properties pom = new java.util.Properties();
        try (InputStream in = Report.class.getResourceAsStream(ECHARTS_POM)) {
            if (in == null) {
                throw new IOException("Apache ECharts is missing from the class path (" + ECHARTS_POM + ")");
            }
            pom.load(in);
        }
        String library = ECHARTS.formatted(pom.getProperty("version"));
        try (InputStream in = Report.class.getResourceAsStream(library)) {
            if (in == null) {
                throw new IOException("Apache ECharts is missing from the class path (" + library + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
        }
    }

    static String esc(String s) {
        return org.flashlab.grader.Html.esc(s);
    }

    // ---- Markdown, CSV, JSON ----

    static String markdown(List<Analysis> all, String title) {
        StringBuilder b = new StringBuilder("# ").append(title).append("\n\n## The machine\n\n");
        all.getFirst().machine().forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        b.append("\n## Conclusions\n\n");
        for (Analysis a : all) {
            for (Claims.Verdict v : a.verdicts()) {
                b.append("- **").append(v.claim()).append(": ").append(v.outcome().words).append("**. ").append(v.evidence())
                        .append(" (").append(a.spec().name()).append(")\n");
            }
        }
        for (Analysis a : all) {
            b.append("\n## ").append(titleOf(a)).append("\n\n");
            b.append(String.format(Locale.ROOT, "Profile %s: %d runs measured, %d failed, of %d planned.%s%n",
                    a.profile(), a.runs(), a.failedRuns(), a.plannedRuns(), a.complete() ? "" : " Incomplete."));
            if (a.disk().get("note") != null) {
                b.append("Disk: ").append(a.disk().get("note")).append(".\n");
            }
            a.notMeasured().forEach((k, v) -> b.append("Not measured: ").append(k).append(": ").append(v).append(".\n"));
            for (Metric m : a.spec().metricList()) {
                b.append("\n").append(m.label).append(":\n\n| server |");
                a.points().forEach(p -> b.append(' ').append(p).append(" |"));
                b.append("\n|---|");
                a.points().forEach(p -> b.append("---|"));
                b.append('\n');
                for (String srv : a.servers()) {
                    b.append("| ").append(srv).append(" |");
                    for (String p : a.points()) {
                        b.append(' ').append(Claims.format(stats(a, p, srv, m), m)).append(" |");
                    }
                    b.append('\n');
                }
            }
        }
        return b.toString();
    }

    static String csv(List<Analysis> all) throws IOException {
        StringBuilder b = new StringBuilder("experiment,profile,point,server,rep,ok");
        for (Metric m : Metric.values()) {
            b.append(',').append(m.name());
        }
        b.append(",failure\n");
        for (Analysis a : all) {
            for (JsonNode line : ResultStore.read(a.dir()).lines()) {
                if (!"run".equals(line.path("type").asText())) {
                    continue;
                }
                b.append(csvField(a.spec().name())).append(',').append(csvField(a.profile())).append(',')
                        .append(csvField(line.path("point").asText())).append(',').append(csvField(line.path("server").asText()))
                        .append(',').append(line.path("rep").asInt()).append(',').append(line.path("ok").asBoolean());
                for (Metric m : Metric.values()) {
                    JsonNode v = line.path("metrics").path(m.name());
                    b.append(',').append(v.isNumber() ? String.format(Locale.ROOT, "%.4f", v.asDouble()) : "");
                }
                b.append(',').append(csvField(line.path("failure").asText(""))).append('\n');
            }
        }
        return b.toString();
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static void writeJson(List<Analysis> all, Path file) throws IOException {
        List<Map<String, Object>> experiments = new ArrayList<>();
        for (Analysis a : all) {
            ResultStore.Saved saved = ResultStore.read(a.dir());
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", a.spec().name());
            e.put("settings", saved.settings());
            e.put("conclusions", a.verdicts());
            e.put("runs", saved.lines());
            experiments.add(e);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", "flashlab-results/1: latencyHistogram is an HdrHistogram in its compressed encoding, base64 "
                + "(Histogram.decodeFromCompressedByteBuffer), in microseconds; add histograms to merge runs exactly");
        root.put("experiments", experiments);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    private static final String SCRIPT = """
            (function () {
              var body = document.body;
              window.addEventListener('error', function (e) {
                body.dataset.scriptErrors = (body.dataset.scriptErrors || '') + e.message + '; ';
              });
              var data = JSON.parse(document.getElementById('report-data').textContent);
              body.dataset.chartsExpected = data.charts.length;
              var rendered = 0;
              function errorBar(params, api) {
                var x = api.value(0), lo = api.coord([x, api.value(1)]), hi = api.coord([x, api.value(2)]);
                var style = { stroke: api.visual('color'), lineWidth: 1.2 };
                return { type: 'group', children: [
                  { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: style },
                  { type: 'line', shape: { x1: lo[0] - 5, y1: lo[1], x2: lo[0] + 5, y2: lo[1] }, style: style },
                  { type: 'line', shape: { x1: hi[0] - 5, y1: hi[1], x2: hi[0] + 5, y2: hi[1] }, style: style } ] };
              }
              data.charts.forEach(function (c) {
                var chart = echarts.init(document.getElementById(c.id), null, { renderer: 'svg' });
                var series = [];
                c.series.forEach(function (s) {
                  series.push({ name: s.name, type: c.kind === 'bars' ? 'bar' : 'line', data: s.mean,
                                itemStyle: { color: s.color }, connectNulls: false, symbolSize: 6 });
                  if (s.ci.length > 0) {
                    series.push({ name: s.name, type: 'custom', renderItem: errorBar, data: s.ci,
                                  itemStyle: { color: s.color }, encode: { x: 0, y: [1, 2] }, z: 10,
                                  tooltip: { show: false } });
                  }
                });
                chart.on('finished', function () {
                  if (!chart.__counted) { chart.__counted = true; rendered++; body.dataset.chartsRendered = rendered; }
                });
                chart.setOption({
                  animation: false,
                  tooltip: { trigger: 'axis' },
                  legend: { top: 0, type: 'scroll' },
                  grid: { left: 70, right: 30, top: 40, bottom: 50 },
                  xAxis: { type: 'category', data: c.x, name: c.xLabel, nameLocation: 'middle', nameGap: 30,
                           axisLabel: { interval: 0, rotate: c.kind === 'bars' && c.x.length > 4 ? 20 : 0 } },
                  yAxis: { type: 'value', name: c.yLabel, nameLocation: 'middle', nameGap: 55, scale: false },
                  series: series
                });
                window.addEventListener('resize', function () { chart.resize(); });
              });
            })();
            """;

    private static final String TEMPLATE = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{title}}</title>
            <style>
            body { font: 15px/1.5 system-ui, sans-serif; max-width: 1100px; margin: 0 auto; padding: 1em 2em; color: #222; }
            h1 { margin-bottom: 0; } .sub { color: #666; margin-top: 0; }
            h2 { border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 2em; }
            .chart { width: 100%; height: 380px; }
            figure { margin: 1em 0; } figcaption { color: #555; font-size: 90%; }
            table { border-collapse: collapse; margin: .5em 0 1.5em; font-size: 90%; }
            th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: right; }
            th:first-child { text-align: left; } caption { text-align: left; color: #555; }
            table.facts th, table.facts td { text-align: left; }
            li.held { color: #1a7f37; } li.did_not_hold { color: #b42318; } li.not_distinguishable { color: #9a6700; }
            li.not_measured { color: #666; } .from { color: #888; }
            .warn { color: #9a6700; } pre { white-space: pre-wrap; margin: 0; }
            </style>
            <script>{{echarts}}</script>
            </head><body>
            {{body}}
            <script type="application/json" id="report-data">{{data}}</script>
            <script>{{script}}</script>
            </body></html>
            """;
}
