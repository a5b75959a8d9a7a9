package org.flashlab.lesson06;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Task 3: conclusions.md reports the experiment the way the lecture asks, and every number it cites
 * is one the experiment produced: conclusions come from what was measured, and a reader can check.
 */
class ConclusionsCheckTest {
    static final Path CONCLUSIONS = Path.of("conclusions.md");
    static final List<String> SECTIONS = List.of("Purpose", "Metrics", "Configuration", "Workload", "Baseline",
            "Results", "Conclusions", "Limitations");
    private static final Pattern RESULTS_LINE = Pattern.compile("(?m)^Results:\\s*(\\S+)\\s*$");
    /** A number in backticks: `12,345`, `3.4`, `-0.5`, `98.2%`. */
    private static final Pattern CITED = Pattern.compile("`(-?[0-9][0-9,]*(?:\\.[0-9]+)?%?)`");

    private static String text() throws Exception {
        assertThat(CONCLUSIONS).as("conclusions.md, in the lesson's folder").exists();
        return Files.readString(CONCLUSIONS, StandardCharsets.UTF_8);
    }

    /** The text of one "## Heading" section, up to the next heading. */
    static String section(String text, String heading) {
        Matcher m = Pattern.compile("(?m)^## " + Pattern.quote(heading) + "\\s*$").matcher(text);
        if (!m.find()) {
            return null;
        }
        int end = text.indexOf("\n## ", m.end());
        return text.substring(m.end(), end < 0 ? text.length() : end).strip();
    }

    @Test
    @DisplayName("every section is there and written: purpose, metrics, configuration, workload, baseline, results, conclusions, limitations")
    void hasEverySection() throws Exception {
        String text = text();
        for (String heading : SECTIONS) {
            String body = section(text, heading);
            assertThat(body).as("the section \"## %s\"", heading).isNotNull();
            assertThat(body.replaceAll("(?s)<!--.*?-->", "").strip()).as("the section \"## %s\", written", heading)
                    .isNotEmpty().doesNotContain("TODO");
        }
    }

    @Test
    @DisplayName("it names the results file it draws on, and that file is here")
    void namesItsResults() throws Exception {
        Path results = resultsFile(text());
        assertThat(results).as("the results file named on the \"Results:\" line").exists();
    }

    private static Path resultsFile(String text) {
        Matcher m = RESULTS_LINE.matcher(text);
        assertThat(m.find()).as("a line \"Results: measured/summary.md\" that names the results file").isTrue();
        assertThat(m.group(1)).as("the results file").doesNotContain("TODO");
        return Path.of(m.group(1));
    }

    @Test
    @DisplayName("it cites at least 3 numbers, in backticks, and each appears in the results file")
    void citesMeasuredNumbers() throws Exception {
        String text = text();
        String results = Files.readString(resultsFile(text), StandardCharsets.UTF_8);
        List<String> cited = new ArrayList<>();
        Matcher m = CITED.matcher(text);
        while (m.find()) {
            cited.add(m.group(1));
        }
        assertThat(cited).as("numbers cited in backticks, such as `12,345`").hasSizeGreaterThanOrEqualTo(3);
        // Whole numbers only: `1` must not be found inside 1,234 or 0.51.
        List<String> missing = cited.stream()
                .filter(n -> !Pattern.compile("(?<![0-9.,])" + Pattern.quote(n) + "(?![0-9]|[.,][0-9])").matcher(results).find())
                .toList();
        assertThat(missing).as("cited numbers that are not in %s: a conclusion may only use what was measured",
                resultsFile(text)).isEmpty();
        String conclusions = section(text, "Conclusions");
        assertThat(conclusions == null ? List.of() : CITED.matcher(conclusions).results().toList())
                .as("numbers cited in the Conclusions section itself: a conclusion rests on a number").isNotEmpty();
    }
}
