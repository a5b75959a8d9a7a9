package org.flashlab.grader.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A spec that runs other specs ({@code include}), each into a folder of its own under the suite's,
 * with one report over all of them: the "paper" preset is the paper's five experiments.
 */
final class Suite {
    static final String FILE = "suite.json";

    private Suite() {}

    static void record(Path dir, ExperimentSpec suite, List<String> names, String profile) throws IOException {
        Files.createDirectories(dir);
        new ObjectMapper().writeValue(dir.resolve(FILE).toFile(), Map.of("name", suite.name(), "include", names,
                "title", (suite.title() != null ? suite.title() : suite.name()) + " (" + profile + " profile)"));
    }
}
