package org.flashlab.grader.grading;

import static org.flashlab.grader.Html.esc;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.flashlab.grader.grading.Grade.Item;
import org.flashlab.grader.grading.Grade.Kind;
import org.flashlab.grader.grading.Grade.Status;

/**
 * A grade, written for everyone who reads one: {@code report.html} for the instructor and the student,
 * {@code results.json} for Gradescope, {@code classroom.json} for GitHub Classroom's reporter,
 * {@code junit.xml} for any CI, and {@code grade.json} (with {@code evidence.json}) for {@code merge}.
 */
public final class Outputs {
    public static final String GRADESCOPE = "results.json";
    public static final String CLASSROOM = "classroom.json";
    public static final String JUNIT = "junit.xml";
    public static final String HTML = "report.html";
    public static final String GRADE = "grade.json";
    public static final String EVIDENCE = "evidence.json";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Outputs() {}

    /** Writes every output into {@code dir}. */
    public static void write(Grade g, Path dir) throws IOException {
        Files.createDirectories(dir);
        g.evidence().write(dir.resolve(EVIDENCE));
        JSON.writeValue(dir.resolve(GRADE).toFile(), summary(g));
        JSON.writeValue(dir.resolve(GRADESCOPE).toFile(), gradescope(g));
        JSON.writeValue(dir.resolve(CLASSROOM).toFile(), classroom(g));
        Files.writeString(dir.resolve(JUNIT), junit(g));
        Files.writeString(dir.resolve(HTML), html(g));
    }

    /** The grade without its evidence: what {@code merge} reads. */
    static Map<String, Object> summary(Grade g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lesson", g.lesson());
        m.put("submission", g.submission());
        m.put("score", g.score());
        m.put("autoMax", g.autoMax());
        m.put("manualMax", g.manualMax());
        m.put("flags", g.flags());
        m.put("items", g.items());
        Evidence.Measurement perf = g.evidence().performance();
        m.put("ratio", perf.measured() && Double.isFinite(perf.ratio()) ? perf.ratio() : null);
        m.put("verdict", g.evidence().probe().verdict().name());
        List<Map<String, Object>> tests = new ArrayList<>();
        for (Evidence.TestCase t : g.evidence().tests()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("test", t.key());
            tm.put("origin", t.origin().name());
            tm.put("outcome", t.outcome().name());
            tests.add(tm);
        }
        m.put("tests", tests);
        return m;
    }

    /**
     * Gradescope's results.json: top level score, execution_time, output, tests and leaderboard; a
     * test per rubric item (manual items are left to Gradescope's own manual questions, and named in
     * the output).
     */
    static Map<String, Object> gradescope(Grade g) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("score", g.score());
        r.put("execution_time", Math.round(g.evidence().seconds()));
        // Before the due date a student sees the visible items only: a total that counted the hidden
        // ones would tell how the hidden tests went.
        List<Item> visible = g.items().stream().filter(i -> i.kind().implementation() && "visible".equals(i.visibility())).toList();
        boolean someHidden = g.items().stream().anyMatch(i -> i.kind().implementation() && !"visible".equals(i.visibility()));
        double visibleScore = Grade.round(visible.stream().mapToDouble(Item::score).sum());
        double visibleMax = Grade.round(visible.stream().mapToDouble(Item::max).sum());
        StringBuilder out = new StringBuilder(someHidden
                ? String.format(Locale.ROOT, "Lesson %s: %s of the %s points shown now; more are for tests shown after the due date.",
                        g.lesson(), num(visibleScore), num(visibleMax))
                : String.format(Locale.ROOT, "Lesson %s: %s of %s points from the grader.", g.lesson(), num(g.score()),
                        num(g.autoMax())));
        if (g.manualMax() > 0) {
            out.append(String.format(Locale.ROOT, " %s more points are for your answers to the README's questions, "
                    + "marked by hand.", num(g.manualMax())));
        }
        for (String f : g.flags()) {
            out.append("\nNote: ").append(f);
        }
        r.put("output", out.toString());
        r.put("visibility", "visible");
        List<Map<String, Object>> tests = new ArrayList<>();
        for (Item i : g.items()) {
            if (i.kind() == Kind.MANUAL) {
                continue;
            }
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("score", i.score());
            t.put("max_score", i.max());
            t.put("status", i.status() == Status.PASSED || i.status() == Status.INFO ? "passed" : "failed");
            t.put("name", i.name());
            t.put("output", i.reason() + (i.output().isBlank() ? "" : "\n\n" + i.output()));
            t.put("visibility", i.visibility());
            tests.add(t);
        }
        r.put("tests", tests);
        List<Map<String, Object>> board = new ArrayList<>();
        Evidence.Measurement m = g.evidence().performance();
        if (m.measured() && Double.isFinite(m.ratio())) {
            board.add(Map.of("name", "Ratio to the reference", "value", round3(m.ratio()), "order", "desc"));
            board.add(Map.of("name", "Requests/s", "value", Math.round(m.requestsPerSecond()), "order", "desc"));
        }
        board.add(Map.of("name", someHidden ? "Score (visible tests)" : "Score", "value", someHidden ? visibleScore : g.score(),
                "order", "desc"));
        r.put("leaderboard", board);
        return r;
    }

    /**
     * GitHub Classroom's runner result, as classroom-resources/autograding-grading-reporter reads it
     * (base64-encoded, from a step's output): version, status, max_score, and a test per item.
     */
    static Map<String, Object> classroom(Grade g) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("version", 1);
        boolean allPassed = g.items().stream().filter(i -> i.kind().implementation()).allMatch(i -> i.status() == Status.PASSED);
        r.put("status", !g.evidence().build().ok() ? "error" : allPassed ? "pass" : "fail");
        r.put("max_score", g.autoMax());
        List<Map<String, Object>> tests = new ArrayList<>();
        for (Item i : g.items()) {
            if (!i.kind().implementation()) {
                continue;
            }
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", i.name());
            t.put("status", i.status() == Status.PASSED ? "pass" : "fail");
            t.put("score", i.score());
            t.put("message", i.reason() + (i.output().isBlank() || !"visible".equals(i.visibility()) ? "" : "\n" + i.output()));
            t.put("test_code", "./flashlab grade --lesson " + g.lesson().substring(0, 2));
            t.put("filename", "");
            t.put("line_no", 0);
            t.put("execution_time", 0);
            tests.add(t);
        }
        r.put("tests", tests);
        return r;
    }

    /** JUnit XML (the Ant schema every CI reads): a test case per rubric item, its points in the name. */
    static String junit(Grade g) {
        StringWriter w = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(w);
            List<Item> items = g.items().stream().filter(i -> i.kind() != Kind.MANUAL).toList();
            long failures = items.stream().filter(i -> i.kind().implementation() && i.status() != Status.PASSED).count();
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", "flashlab.grade." + g.lesson());
            x.writeAttribute("tests", Integer.toString(items.size()));
            x.writeAttribute("failures", Long.toString(failures));
            x.writeAttribute("errors", "0");
            x.writeAttribute("skipped", Long.toString(items.stream().filter(i -> i.kind() == Kind.INFO).count()));
            x.writeAttribute("time", String.format(Locale.ROOT, "%.3f", g.evidence().seconds()));
            x.writeStartElement("properties");
            property(x, "score", num(g.score()));
            property(x, "max_score", num(g.autoMax()));
            property(x, "submission", xml(g.submission()));
            x.writeEndElement();
            for (Item i : items) {
                x.writeStartElement("testcase");
                x.writeAttribute("classname", "flashlab.grade." + g.lesson() + "." + i.kind().name().toLowerCase(Locale.ROOT));
                x.writeAttribute("name", xml(String.format(Locale.ROOT, "%s (%s/%s)", i.name(), num(i.score()), num(i.max()))));
                x.writeAttribute("time", "0");
                if (i.kind() == Kind.INFO) {
                    x.writeStartElement("skipped");
                    x.writeAttribute("message", xml(i.reason()));
                    x.writeEndElement();
                } else if (i.status() != Status.PASSED) {
                    x.writeStartElement("failure");
                    x.writeAttribute("message", xml(i.reason().lines().findFirst().orElse("")));
                    x.writeAttribute("type", i.status().name());
                    x.writeCharacters(xml(i.reason() + (i.output().isBlank() ? "" : "\n" + i.output())));
                    x.writeEndElement();
                }
                x.writeEndElement();
            }
            x.writeEndElement();
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write JUnit XML", e);
        }
        return w + "\n";
    }

    /** Text XML 1.0 can carry: a server's reply may hold any byte, and the probe quotes it. */
    static String xml(String s) {
        return s.replaceAll("[^\\x09\\x0A\\x0D\\x20-\\uD7FF\\uE000-\\uFFFD]", "\uFFFD");
    }

    private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeEmptyElement("property");
        x.writeAttribute("name", name);
        x.writeAttribute("value", value);
    }

    /** The HTML report: the score, every item with its verdict and reason, the answers, and the evidence. */
    static String html(Grade g) {
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Grade: lesson ")
                .append(esc(g.lesson())).append(", ").append(esc(g.submission())).append("</title>\n<style>")
                .append(STYLE).append("</style></head><body>\n");
        b.append("<h1>Lesson ").append(esc(g.lesson())).append(": ").append(esc(g.submission())).append("</h1>\n");
        b.append("<p class=\"score\"><b>").append(num(g.score())).append("</b> of ").append(num(g.autoMax()))
                .append(" points from the grader");
        if (g.manualMax() > 0) {
            b.append(", and ").append(num(g.manualMax())).append(" to mark by hand");
        }
        b.append(String.format(Locale.ROOT, " (graded in %.0f s).</p>\n", g.evidence().seconds()));
        if (!g.flags().isEmpty()) {
            b.append("<div class=\"flags\"><h2>Worth a look</h2><ul>");
            g.flags().forEach(f -> b.append("<li>").append(esc(f)).append("</li>"));
            b.append("</ul></div>\n");
        }
        b.append("<table><tr><th>item</th><th>points</th><th>verdict</th><th>why</th></tr>\n");
        for (Item i : g.items()) {
            b.append("<tr class=\"").append(i.status().name().toLowerCase(Locale.ROOT)).append("\"><td>")
                    .append(esc(i.name())).append("</td><td class=\"n\">")
                    .append(i.kind() == Kind.INFO ? "" : num(i.score()) + " / " + num(i.max())).append("</td><td>")
                    .append(i.status().name().toLowerCase(Locale.ROOT)).append("</td><td>").append(esc(i.reason()));
            if (!i.output().isBlank()) {
                b.append("<details><summary>details</summary><pre>").append(esc(i.output())).append("</pre></details>");
            }
            b.append("</td></tr>\n");
        }
        b.append("</table>\n");
        Evidence e = g.evidence();
        b.append("<h2>What the grader saw</h2><ul>");
        b.append("<li>Build: ").append(e.build().ok() ? "compiled" : "did not compile").append("</li>");
        b.append("<li>Probe: ").append(esc(e.probe().verdict().words))
                .append(e.probe().detail() == null || e.probe().detail().isBlank() ? "" : ": " + esc(e.probe().detail()))
                .append("</li>");
        b.append("<li>Performance: ").append(e.performance().measured()
                ? esc(String.format(Locale.ROOT, "ratio %.2f [%.2f, %.2f] to the reference %s", e.performance().ratio(),
                        e.performance().low(), e.performance().high(), e.performance().reference()))
                : esc(e.performance().detail())).append("</li>");
        long passed = e.tests().stream().filter(t -> t.outcome() == Evidence.Outcome.PASSED).count();
        b.append("<li>Tests: ").append(passed).append(" of ").append(e.tests().size()).append(" passed</li></ul>\n");
        if (e.answers().stream().anyMatch(a -> a.question() != null)) {
            b.append("<h2>Answers to the README's questions</h2>\n");
            for (Evidence.Answer a : e.answers()) {
                b.append("<div class=\"q\"><p><b>").append(a.number()).append(".</b> ").append(esc(a.question()))
                        .append("</p><pre class=\"answer\">")
                        .append(a.answer() == null || a.answer().isBlank() ? "(no answer)" : esc(a.answer()))
                        .append("</pre></div>\n");
            }
        }
        b.append("</body></html>\n");
        return b.toString();
    }

    private static final String STYLE = """
            body{font:15px/1.45 system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}
            table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left;vertical-align:top}
            td.n{white-space:nowrap;text-align:right}tr.passed td:nth-child(3){color:#176f2c}tr.failed td:nth-child(3){color:#b00020}
            tr.partial td:nth-child(3){color:#9a6700}pre{white-space:pre-wrap;background:#f6f8fa;padding:.5em}
            .flags{border-left:4px solid #b00020;padding-left:1em}.score{font-size:1.2em}
            """;

    static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }

    private static double round3(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
