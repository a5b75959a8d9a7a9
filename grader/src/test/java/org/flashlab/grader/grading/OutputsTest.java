package org.flashlab.grader.grading;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flashlab.grader.grading.Evidence.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Each output carries the fields its reader needs: Gradescope's results.json (its documented
 * specification), GitHub Classroom's runner result (as classroom-resources/autograding-grading-reporter
 * reads it), and JUnit XML (the Ant schema). The evidence written beside them reads back the same.
 */
class OutputsTest {
    @TempDir
    Path dir;

    private Grade grade() {
        return Grade.of(Samples.RUBRIC, Samples.evidence("ada <&>", 3, false, true, Verdict.OK, 0.9), Set.of());
    }

    @Test
    void resultsJsonHasGradescopesFields() throws Exception {
        Outputs.write(grade(), dir);
        JsonNode r = new ObjectMapper().readTree(dir.resolve(Outputs.GRADESCOPE).toFile());
        assertThat(r.has("score") && r.has("execution_time") && r.has("output") && r.has("tests") && r.has("leaderboard"))
                .as("top-level fields of %s", r).isTrue();
        assertThat(r.get("score").isNumber()).isTrue();
        assertThat(r.get("execution_time").asLong()).isEqualTo(43);
        assertThat(r.get("tests")).isNotEmpty().allSatisfy(t -> {
            for (String f : List.of("score", "max_score", "status", "name", "output", "visibility")) {
                assertThat(t.has(f)).as("field %s of %s", f, t).isTrue();
            }
            assertThat(t.get("status").asText()).isIn("passed", "failed");
            assertThat(t.get("visibility").asText()).isIn("hidden", "after_due_date", "after_published", "visible");
        });
        double sum = 0;
        for (JsonNode t : r.get("tests")) {
            sum += t.get("score").asDouble();
        }
        assertThat(r.get("score").asDouble()).as("the score is the tests' sum").isEqualTo(sum);
        assertThat(r.get("leaderboard")).anySatisfy(b -> {
            assertThat(b.get("name").asText()).isEqualTo("Ratio to the reference");
            assertThat(b.get("value").asDouble()).isEqualTo(0.9);
            assertThat(b.get("order").asText()).isEqualTo("desc");
        });
        assertThat(r.get("output").asText()).contains("10 more points are for your answers");
    }

    @Test
    void classroomResultHasTheReportersFields() throws Exception {
        Outputs.write(grade(), dir);
        JsonNode r = new ObjectMapper().readTree(dir.resolve(Outputs.CLASSROOM).toFile());
        assertThat(r.get("version").asInt()).isEqualTo(1);
        assertThat(r.get("status").asText()).isEqualTo("fail");
        assertThat(r.get("max_score").asDouble()).isEqualTo(80);
        assertThat(r.get("tests")).isNotEmpty().allSatisfy(t -> {
            for (String f : List.of("name", "status", "score", "message", "test_code", "filename", "line_no", "execution_time")) {
                assertThat(t.has(f)).as("field %s of %s", f, t).isTrue();
            }
            assertThat(t.get("status").asText()).isIn("pass", "fail", "error");
        });
    }

    @Test
    void junitXmlIsTheAntSchemaWithAFailurePerItemShort() throws Exception {
        Outputs.write(grade(), dir);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(dir.resolve(Outputs.JUNIT))));
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        for (String a : List.of("name", "tests", "failures", "errors", "skipped", "time")) {
            assertThat(suite.hasAttribute(a)).as("testsuite attribute %s", a).isTrue();
        }
        NodeList cases = suite.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(Integer.parseInt(suite.getAttribute("tests")));
        int failures = 0;
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            assertThat(c.hasAttribute("classname") && c.hasAttribute("name") && c.hasAttribute("time")).isTrue();
            failures += c.getElementsByTagName("failure").getLength();
        }
        assertThat(failures).isEqualTo(Integer.parseInt(suite.getAttribute("failures"))).isEqualTo(2);
    }

    @Test
    void controlCharactersFromAServersReplyStillMakeWellFormedXml() throws Exception {
        Evidence e = Samples.evidence("cy", 4, true, true, Verdict.WRONG_BYTES, 0);
        e = new Evidence(e.lesson(), e.submission(), 1, e.build(), e.tests(), null,
                new Evidence.Probe(Verdict.WRONG_BYTES, "the status line was 'HTTP/1.1 2\u000100\tOK\u001b[0m'", 1, List.of(),
                        List.of()), e.performance(), e.answers());
        Outputs.write(Grade.of(Samples.RUBRIC, e, Set.of()), dir);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(dir.resolve(Outputs.JUNIT))));
        assertThat(doc.getElementsByTagName("failure").getLength()).isPositive();
        assertThat(Files.readString(dir.resolve(Outputs.JUNIT))).contains("2\uFFFD00\tOK");
    }

    @Test
    void theReportEscapesAndTheEvidenceReadsBack() throws Exception {
        Grade g = grade();
        Outputs.write(g, dir);
        String html = Files.readString(dir.resolve(Outputs.HTML), StandardCharsets.UTF_8);
        assertThat(html).contains("ada &lt;&amp;&gt;").doesNotContain("ada <&>").contains("Answers to the README");
        assertThat(Evidence.read(dir.resolve(Outputs.EVIDENCE))).isEqualTo(g.evidence());
    }
}
