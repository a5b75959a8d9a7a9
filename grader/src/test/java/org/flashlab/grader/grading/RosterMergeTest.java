package org.flashlab.grader.grading;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.flashlab.cli.Cli;
import org.flashlab.grader.grading.Evidence.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class of twelve, graded from recorded evidence (so two runs can be compared exactly): two
 * shards merged give the summary one unsharded run gives, byte for byte.
 */
class RosterMergeTest {
    @TempDir
    Path root;

    private Path submissions;
    private Path recorded;

    private String home;

    @AfterEach
    void restoreHome() {
        if (home == null) {
            System.clearProperty("flashlab.home");
        } else {
            System.setProperty("flashlab.home", home);
        }
    }

    @BeforeEach
    void aClass() throws IOException {
        home = System.getProperty("flashlab.home");
        System.setProperty("flashlab.home", Path.of("..").toAbsolutePath().normalize().toString()); // the kit's lessons
        submissions = Files.createDirectories(root.resolve("submissions"));
        recorded = Files.createDirectories(root.resolve("recorded"));
        Verdict[] verdicts = {Verdict.OK, Verdict.OK, Verdict.CRASHED, Verdict.OK, Verdict.HANGS, Verdict.OK};
        for (int i = 0; i < 12; i++) {
            String name = String.format("student-%02d", i);
            Files.createDirectories(submissions.resolve(name));
            Evidence e = Samples.evidence(name, i % 5, i % 3 != 0, i % 4 != 1, verdicts[i % verdicts.length],
                    i == 7 ? 0.2 : 0.7 + 0.05 * i);
            Files.createDirectories(recorded.resolve(name));
            e.write(recorded.resolve(name).resolve(Outputs.EVIDENCE));
        }
    }

    private void roster(Path out, String shard) throws Exception {
        List<String> args = new ArrayList<>(List.of("--lesson", "03", "--submissions", submissions.toString(),
                "--replay", recorded.toString(), "--out", out.toString()));
        if (shard != null) {
            args.addAll(List.of("--shard", shard));
        }
        assertThat(Cli.execute(new RosterCommand(), args.toArray(String[]::new))).isZero();
    }

    @Test
    void twoShardsMergeIntoWhatOneRunWrites() throws Exception {
        roster(root.resolve("all"), null);
        roster(root.resolve("shard-1"), "1/2");
        roster(root.resolve("shard-2"), "2/2");
        assertThat(Cli.execute(new MergeCommand(), root.resolve("shard-1").toString(), root.resolve("shard-2").toString(),
                "--out", root.resolve("merged").toString())).isZero();
        assertThat(Cli.execute(new MergeCommand(), root.resolve("all").toString(),
                "--out", root.resolve("unsharded").toString())).isZero();

        for (String f : List.of(ClassSummary.CSV, ClassSummary.HTML, ClassSummary.JSON_FILE)) {
            assertThat(Files.readString(root.resolve("merged").resolve(f)))
                    .as(f).isEqualTo(Files.readString(root.resolve("unsharded").resolve(f)));
        }
        try (var shard1 = Files.list(root.resolve("shard-1"))) {
            assertThat(shard1.filter(Files::isDirectory).count()).as("shard 1 of 2 takes every other submission").isEqualTo(6);
        }
        String csv = Files.readString(root.resolve("merged").resolve(ClassSummary.CSV));
        assertThat(csv.lines().count()).isEqualTo(13);
        ClassSummary s = ClassSummary.of(List.of(root.resolve("all")));
        assertThat(s.students()).hasSize(12);
        assertThat(s.outliers()).as("the broken servers and the slow one are worth a look")
                .anySatisfy(o -> assertThat(o).startsWith("student-02: the server crashed while serving"))
                .anySatisfy(o -> assertThat(o).startsWith("student-07").contains("ratio 0.20 is far from"));
        assertThat(s.passRates()).containsKey("LoopTest#case0()");
        assertThat(s.passRates().get("LoopTest#case0()")).containsExactly(9, 12);
        assertThat(java.util.Arrays.stream(s.histogram()).sum()).isEqualTo(12);
    }

    @Test
    void aMergeOfPartOfAClassIsRefused() throws Exception {
        roster(root.resolve("shard-1"), "1/3");
        roster(root.resolve("shard-2"), "2/3");
        assertThat(Cli.execute(new MergeCommand(), root.resolve("shard-1").toString(), root.resolve("shard-2").toString(),
                "--out", root.resolve("merged").toString())).as("shard 3 of 3 is missing").isEqualTo(2);
        roster(root.resolve("other"), "2/2");
        assertThat(Cli.execute(new MergeCommand(), root.resolve("shard-1").toString(), root.resolve("other").toString(),
                "--out", root.resolve("merged").toString())).as("shards of two splits").isEqualTo(2);
    }

    @Test
    void theMergedSummaryLinksToReportsBesideIt() throws Exception {
        roster(root.resolve("shard-1"), "1/2");
        roster(root.resolve("shard-2"), "2/2");
        assertThat(Cli.execute(new MergeCommand(), root.resolve("shard-1").toString(), root.resolve("shard-2").toString(),
                "--out", root.resolve("merged").toString())).isZero();
        assertThat(Files.readString(root.resolve("merged").resolve(ClassSummary.HTML))).contains("href=\"student-03/report.html\"");
        assertThat(root.resolve("merged/student-03/report.html")).exists();
    }

    @Test
    void aShardOutOfRangeIsAUsageError() {
        assertThat(Cli.execute(new RosterCommand(), "--lesson", "03", "--submissions", submissions.toString(),
                "--shard", "3/2")).isEqualTo(2);
    }
}
