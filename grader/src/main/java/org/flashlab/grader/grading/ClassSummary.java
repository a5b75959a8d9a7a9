package org.flashlab.grader.grading;

import static org.flashlab.grader.Html.esc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A class at a glance: every student's score and performance ratio, the distribution of scores,
 * each test's pass rate across the class, and the submissions worth a look (an integrity flag, a
 * broken server, a score or a ratio far from the rest). It is built from the grade.json files that
 * roster wrote, sorted by name, so the shards of a class merge into exactly what one unsharded run
 * writes.
 */
public record ClassSummary(String lesson, List<Student> students, Map<String, int[]> passRates, int[] histogram,
                           List<String> outliers, Map<String, Path> folders) {
    public static final String HTML = "class-summary.html";
    public static final String CSV = "class-summary.csv";
    public static final String JSON_FILE = "class-summary.json";

    /** One row: a graded submission, or one that could not be graded (score null). */
    public record Student(String name, Double score, double autoMax, double manualMax, Double ratio, String verdict,
                          List<String> flags) {
        double percent() {
            return score == null || autoMax == 0 ? 0 : 100 * score / autoMax;
        }
    }

    /** Reads every submission's grade in the given roster folders, which must hold every shard of one run. */
    public static ClassSummary of(List<Path> dirs) throws IOException {
        return of(dirs, true);
    }

    /**
     * Reads every submission's grade in the given folders.
     *
     * @param wholeClass check that the folders hold every shard of one roster run (merge does; a shard's
     *                   own summary of itself does not)
     */
    public static ClassSummary of(List<Path> dirs, boolean wholeClass) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Student> students = new TreeMap<>();
        Map<String, int[]> rates = new TreeMap<>(); // test -> passed, ran
        Map<String, Path> folders = new TreeMap<>();
        String lesson = null;
        if (wholeClass) {
            checkShards(dirs, json);
        }
        for (Path dir : dirs) {
            List<Path> subs;
            try (Stream<Path> s = Files.list(dir)) {
                subs = s.filter(Files::isDirectory).sorted().toList();
            }
            for (Path sub : subs) {
                String name = sub.getFileName().toString();
                Path grade = sub.resolve(Outputs.GRADE);
                Student st;
                if (Files.isRegularFile(grade)) {
                    JsonNode g = json.readTree(grade.toFile());
                    if (lesson == null) {
                        lesson = g.path("lesson").asText();
                    } else if (!lesson.equals(g.path("lesson").asText())) {
                        throw new IllegalArgumentException(grade + " grades lesson " + g.path("lesson").asText()
                                + ", the others " + lesson + ": merge one lesson's shards at a time");
                    }
                    List<String> flags = new ArrayList<>();
                    g.path("flags").forEach(f -> flags.add(f.asText()));
                    st = new Student(name, g.path("score").asDouble(), g.path("autoMax").asDouble(),
                            g.path("manualMax").asDouble(), g.path("ratio").isNumber() ? g.path("ratio").asDouble() : null,
                            g.path("verdict").asText(), List.copyOf(flags));
                    for (JsonNode t : g.path("tests")) {
                        if ("EARLIER".equals(t.path("origin").asText()) || "SKIPPED".equals(t.path("outcome").asText())) {
                            continue;
                        }
                        int[] r = rates.computeIfAbsent(t.path("test").asText(), k -> new int[2]);
                        r[1]++;
                        if ("PASSED".equals(t.path("outcome").asText())) {
                            r[0]++;
                        }
                    }
                } else if (Files.isRegularFile(sub.resolve("not-graded.txt"))) {
                    st = new Student(name, null, 0, 0, null, "NOT_GRADED",
                            List.of(Files.readString(sub.resolve("not-graded.txt")).strip()));
                } else {
                    continue; // not a submission's folder
                }
                folders.put(name, sub);
                if (students.put(name, st) != null) {
                    throw new IllegalArgumentException(name + " appears in two of the folders: were two shards run "
                            + "with different shard counts?");
                }
            }
        }
        if (students.isEmpty()) {
            throw new IllegalArgumentException("no graded submissions (folders with " + Outputs.GRADE + ") in " + dirs);
        }
        List<Student> all = List.copyOf(students.values());
        int[] histogram = new int[10];
        for (Student s : all) {
            if (s.score() != null) {
                histogram[Math.min(9, (int) (s.percent() / 10))]++;
            }
        }
        return new ClassSummary(lesson, all, rates, histogram, outliers(all), folders);
    }

    /**
     * The shards given must be all of one split: the same N, and every i from 1 to N, or the summary
     * would be of part of a class without saying so. Folders without roster.json are taken as they are.
     */
    private static void checkShards(List<Path> dirs, ObjectMapper json) throws IOException {
        java.util.Set<String> totals = new java.util.TreeSet<>();
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        for (Path dir : dirs) {
            Path record = dir.resolve(RosterCommand.SHARD_FILE);
            if (!Files.isRegularFile(record)) {
                continue;
            }
            String[] shard = json.readTree(record.toFile()).path("shard").asText("1/1").split("/");
            totals.add(shard[1]);
            if (!seen.add(Integer.parseInt(shard[0]))) {
                throw new IllegalArgumentException("shard " + shard[0] + "/" + shard[1] + " is given twice (" + dir + ")");
            }
        }
        if (totals.size() > 1) {
            throw new IllegalArgumentException("the folders come from different splits of the class (" + totals
                    + " shards): merge the shards of one roster run");
        }
        if (totals.size() == 1) {
            int n = Integer.parseInt(totals.iterator().next());
            java.util.List<Integer> missing = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                if (!seen.contains(i)) {
                    missing.add(i);
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("shards " + missing + " of " + n + " are missing: the summary would leave "
                        + "their students out");
            }
        }
    }

    /** Flags, broken servers, and scores or ratios beyond 1.5 interquartile ranges of the class's. */
    static List<String> outliers(List<Student> all) {
        List<String> out = new ArrayList<>();
        double[] scores = all.stream().filter(s -> s.score() != null).mapToDouble(Student::percent).sorted().toArray();
        double[] ratios = all.stream().filter(s -> s.ratio() != null).mapToDouble(Student::ratio).sorted().toArray();
        double[] sf = fences(scores);
        double[] rf = fences(ratios);
        for (Student s : all) {
            List<String> why = new ArrayList<>(s.flags());
            if (s.score() != null && scores.length >= 4 && (s.percent() < sf[0] || s.percent() > sf[1])) {
                why.add(String.format(Locale.ROOT, "score %.0f%% is far from the class's middle half [%.0f%%, %.0f%%]",
                        s.percent(), quartile(scores, 0.25), quartile(scores, 0.75)));
            }
            if (s.ratio() != null && ratios.length >= 4 && (s.ratio() < rf[0] || s.ratio() > rf[1])) {
                why.add(String.format(Locale.ROOT, "ratio %.2f is far from the class's middle half [%.2f, %.2f]",
                        s.ratio(), quartile(ratios, 0.25), quartile(ratios, 0.75)));
            }
            if (!why.isEmpty()) {
                out.add(s.name() + ": " + String.join("; ", why));
            }
        }
        return out;
    }

    private static double[] fences(double[] sorted) {
        if (sorted.length < 4) {
            return new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
        }
        double q1 = quartile(sorted, 0.25);
        double q3 = quartile(sorted, 0.75);
        return new double[] {q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)};
    }

    private static double quartile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /**
     * Writes class-summary.html, .csv and .json into {@code dir}, with each student's report beside
     * them (NAME/report.html, which the summary links to) when it lives elsewhere, in a shard's folder.
     */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, Path> f : folders.entrySet()) {
            Path target = dir.resolve(f.getKey());
            if (!target.toAbsolutePath().normalize().equals(f.getValue().toAbsolutePath().normalize())) {
                Files.createDirectories(target);
                for (String file : List.of(Outputs.HTML, Outputs.GRADE, "not-graded.txt")) {
                    if (Files.isRegularFile(f.getValue().resolve(file))) {
                        Files.copy(f.getValue().resolve(file), target.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        Files.writeString(dir.resolve(CSV), csv());
        Files.writeString(dir.resolve(HTML), html());
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("lesson", lesson);
        j.put("students", students);
        Map<String, Object> rates = new LinkedHashMap<>();
        passRates.forEach((t, r) -> rates.put(t, Map.of("passed", r[0], "ran", r[1])));
        j.put("passRates", rates);
        j.put("histogram", Arrays.stream(histogram).boxed().toList());
        j.put("outliers", outliers);
        Outputs.JSON.writeValue(dir.resolve(JSON_FILE).toFile(), j);
    }

    /** One row per student: what a spreadsheet or an LMS import wants. */
    public String csv() {
        StringBuilder b = new StringBuilder("submission,score,max,manual_max,percent,ratio,verdict,flags\n");
        for (Student s : students) {
            b.append(field(s.name())).append(',').append(s.score() == null ? "" : Outputs.num(s.score())).append(',')
                    .append(Outputs.num(s.autoMax())).append(',').append(Outputs.num(s.manualMax())).append(',')
                    .append(s.score() == null ? "" : String.format(Locale.ROOT, "%.1f", s.percent())).append(',')
                    .append(s.ratio() == null ? "" : String.format(Locale.ROOT, "%.3f", s.ratio())).append(',')
                    .append(s.verdict()).append(',').append(field(String.join("; ", s.flags()))).append('\n');
        }
        return b.toString();
    }

    private static String field(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    public String html() {
        String lessonName = lesson == null ? "(none graded)" : lesson;
        StringBuilder b = new StringBuilder("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Class summary: lesson ")
                .append(esc(lessonName)).append("</title><style>")
                .append("body{font:15px/1.45 system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em}")
                .append("table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left}")
                .append(".bar{background:#3465a4;height:1em;display:inline-block}td.n{text-align:right}")
                .append("</style></head><body>\n<h1>Lesson ").append(esc(lessonName)).append(": the class</h1>\n");
        long graded = students.stream().filter(s -> s.score() != null).count();
        b.append("<p>").append(graded).append(" submissions graded");
        if (graded < students.size()) {
            b.append(", ").append(students.size() - graded).append(" could not be");
        }
        b.append(".</p>\n<h2>Worth a look</h2>");
        if (outliers.isEmpty()) {
            b.append("<p>Nothing stands out.</p>");
        } else {
            b.append("<ul>");
            outliers.forEach(o -> b.append("<li>").append(esc(o)).append("</li>"));
            b.append("</ul>");
        }
        b.append("\n<h2>Scores</h2><table><tr><th>percent of the grader's points</th><th>students</th><th></th></tr>");
        int most = Math.max(1, Arrays.stream(histogram).max().orElse(1));
        for (int i = 9; i >= 0; i--) {
            b.append("<tr><td>").append(i * 10).append(i == 9 ? "&ndash;100" : "&ndash;" + (i * 10 + 9)).append("%</td><td class=\"n\">")
                    .append(histogram[i]).append("</td><td><span class=\"bar\" style=\"width:")
                    .append(20 * histogram[i] / most).append("em\"></span></td></tr>");
        }
        b.append("</table>\n<h2>Students</h2><table><tr><th>submission</th><th>score</th><th>ratio to the reference</th>"
                + "<th>server</th><th>flags</th></tr>");
        for (Student s : students) {
            b.append("<tr><td><a href=\"").append(esc(s.name())).append("/report.html\">").append(esc(s.name()))
                    .append("</a></td><td class=\"n\">")
                    .append(s.score() == null ? "&ndash;" : Outputs.num(s.score()) + " / " + Outputs.num(s.autoMax()))
                    .append("</td><td class=\"n\">").append(s.ratio() == null ? "&ndash;" : String.format(Locale.ROOT, "%.2f", s.ratio()))
                    .append("</td><td>").append(esc(s.verdict())).append("</td><td>").append(esc(String.join("; ", s.flags())))
                    .append("</td></tr>");
        }
        b.append("</table>\n<h2>Tests, by pass rate</h2><table><tr><th>test</th><th>passed</th><th>rate</th></tr>");
        passRates.entrySet().stream()
                .sorted(Map.Entry.<String, int[]>comparingByValue((x, y) -> Double.compare(
                        (double) x[0] / x[1], (double) y[0] / y[1])).thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> b.append("<tr><td>").append(esc(e.getKey())).append("</td><td class=\"n\">")
                        .append(e.getValue()[0]).append(" / ").append(e.getValue()[1]).append("</td><td class=\"n\">")
                        .append(String.format(Locale.ROOT, "%.0f%%", 100.0 * e.getValue()[0] / e.getValue()[1]))
                        .append("</td></tr>"));
        b.append("</table>\n</body></html>\n");
        return b.toString();
    }
}
