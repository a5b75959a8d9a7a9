package org.flashlab.grader.grading;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

/**
 * The shard runners docs/grading ships for existing engines (GitHub Actions, a Kubernetes Indexed Job,
 * a Slurm array): each parses, runs one shard with `roster --shard`, keeps its results for `merge`, and
 * every roster and merge command line in them is one the commands accept.
 */
class EngineFilesTest {
    private static final Path DIR = Path.of("../docs/grading");
    private static final Pattern COMMAND = Pattern.compile("\\./flashlab (roster|merge)((?: +(?:\"[^\"]*\"|'[^']*'|[^ \\n\"'|;&]+))+)");

    @org.junit.jupiter.api.BeforeEach
    void instructorsFiles() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(DIR),
                "docs/grading is instructors' material: a student's copy of the kit has none");
    }

    private static JsonNode yaml(String file) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(DIR.resolve(file)));
    }

    @Test
    void theGithubWorkflowRunsAMatrixOfShardsThenMerges() throws IOException {
        JsonNode wf = yaml("github-actions.yml");
        JsonNode jobs = wf.get("jobs");
        assertThat(jobs).isNotNull();
        List<String> runs = new ArrayList<>();
        jobs.forEach(job -> job.path("steps").forEach(step -> runs.add(step.path("run").asText(""))));
        assertThat(String.join("\n", runs)).contains("./flashlab roster").contains("--shard").contains("./flashlab merge");
        assertThat(jobs.toString()).contains("matrix").contains("upload-artifact").contains("download-artifact");
        checkCommands(String.join("\n", runs));
    }

    @Test
    void theKubernetesJobIsIndexedAndRunsOneShardPerIndex() throws IOException {
        JsonNode job = yaml("k8s-indexed-job.yaml");
        assertThat(job.path("kind").asText()).isEqualTo("Job");
        assertThat(job.path("spec").path("completionMode").asText()).isEqualTo("Indexed");
        String text = Files.readString(DIR.resolve("k8s-indexed-job.yaml"));
        assertThat(text).contains("JOB_COMPLETION_INDEX").contains("./flashlab roster").contains("--shard");
        checkCommands(text);
    }

    @Test
    void theSlurmScriptIsAnArrayOfShards() throws IOException {
        String text = Files.readString(DIR.resolve("slurm-array.sh"));
        assertThat(text).startsWith("#!").contains("#SBATCH --array=").contains("SLURM_ARRAY_TASK_ID")
                .contains("./flashlab roster").contains("--shard").contains("./flashlab merge");
        checkCommands(text);
    }

    /** Every roster or merge command line parses with the real commands' options. */
    private static void checkCommands(String script) {
        // A shell line continued with a backslash is one command; an engine's own expression is one word.
        String text = script.replace("\\\n", " ").replaceAll("\\$\\{\\{[^}]*\\}\\}", "X");
        Matcher m = COMMAND.matcher(text);
        int found = 0;
        while (m.find()) {
            found++;
            List<String> args = new ArrayList<>();
            for (String a : m.group(2).trim().split(" +")) {
                args.add(a.replaceAll("^[\"']|[\"']$", ""));
            }
            Object command = m.group(1).equals("roster") ? new RosterCommand() : new MergeCommand();
            picocli.CommandLine cl = new picocli.CommandLine(command);
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> cl.parseArgs(args.toArray(String[]::new))))
                    .as("'./flashlab %s %s' parses", m.group(1), m.group(2).trim()).isNull();
        }
        assertThat(found).as("roster or merge command lines").isPositive();
    }
}
