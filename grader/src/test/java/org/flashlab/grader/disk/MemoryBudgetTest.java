package org.flashlab.grader.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.flashlab.files.PageCache;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryBudgetTest {
    private static final int MB = 1024 * 1024;

    @TempDir
    Path dir;
    private final List<Path> files = new ArrayList<>();

    @BeforeEach
    void dataset() throws IOException {
        assumeTrue(PageCache.evictionSupported(), "needs Linux");
        byte[] data = new byte[MB];
        Random random = new Random(7);
        for (int i = 0; i < 8; i++) {
            random.nextBytes(data);
            files.add(Files.write(dir.resolve("f" + i + ".bin"), data));
        }
        PageCache.evict(files.getFirst());
        assumeTrue(PageCache.residentBytes(files.getFirst()) < MB, "this filesystem keeps files in memory (tmpfs?)");
    }

    private long resident() throws IOException {
        long total = 0;
        for (Path f : files) {
            total += PageCache.residentBytes(f);
        }
        return total;
    }

    private void readAll() throws IOException {
        for (Path f : files) {
            Files.readAllBytes(f);
        }
    }

    @Test
    void aSweepEvictsTheDatasetDownToTheBudget() throws IOException {
        readAll();
        try (MemoryBudget budget = new MemoryBudget(files, 3L * MB, null, 1)) {
            evictsDownToThreeMegabytes(budget);
        }
    }

    private void evictsDownToThreeMegabytes(MemoryBudget budget) throws IOException {
        MemoryBudget.Sample s = budget.sweep();
        assertThat(s.resident()).as("measured before evicting").isEqualTo(8L * MB);
        assertThat(s.within()).isFalse();
        assertThat(s.evicted()).isGreaterThanOrEqualTo(5L * MB);
        assertThat(resident()).as("after the sweep").isLessThanOrEqualTo(3L * MB);

        Files.readAllBytes(files.get(2)); // the server reads one file back: within the budget now
        MemoryBudget.Sample next = budget.sweep();
        assertThat(next.resident()).isLessThanOrEqualTo(3L * MB);
        assertThat(next.within()).isTrue();
        MemoryBudget.Report report = budget.report();
        assertThat(report.samples()).hasSize(2);
        assertThat(report.stayedWithin()).as("the first sweep found 8 MB in 3").isFalse();
        assertThat(report.peakResident()).isEqualTo(8L * MB);
        assertThat(report.summary()).contains("memory budget 3.0 MB", "dataset 8.0 MB", "over it at 1");
    }

    @Test
    void aDatasetUnderItsBudgetIsLeftAlone() throws IOException {
        readAll();
        try (MemoryBudget budget = new MemoryBudget(files, 64L * MB, null, 1)) {
            MemoryBudget.Sample s = budget.sweep();
            assertThat(s.evicted()).isZero();
            assertThat(resident()).isEqualTo(8L * MB);
            assertThat(budget.report().stayedWithin()).isTrue();
        }
    }

    @Test
    void theServersOwnMemoryComesOutOfTheBudget() throws IOException {
        Process server = new ProcessBuilder("sleep", "60").start();
        try {
            long budgetBytes = 4L * MB;
            try (MemoryBudget budget = new MemoryBudget(files, budgetBytes, server.toHandle(), 1)) {
                MemoryBudget.Sample s = budget.sweep();
                assertThat(s.footprint()).as("sleep's heap and stack").isPositive();
                assertThat(s.allowed()).isEqualTo(Math.max(0, budgetBytes - s.footprint()));
            }
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void aColdStartEvictsEverything() throws IOException {
        readAll();
        try (MemoryBudget budget = new MemoryBudget(files, 0, null, 1)) {
            budget.evictAll();
        }
        assertThat(resident()).isLessThan(8L * MB / 10);
    }

    @Test
    void runningOnItsOwnItKeepsSweepingUntilClosed() throws IOException {
        readAll();
        MemoryBudget budget = new MemoryBudget(files, 2L * MB, null, 1).start(10);
        try (budget) {
            await().atMost(Duration.ofSeconds(20)).until(() -> budget.report().samples().size() >= 3);
        }
        int seen = budget.report().samples().size();
        assertThat(resident()).isLessThanOrEqualTo(2L * MB);
        assertThat(budget.report().samples()).as("no sweeps after close").hasSize(seen);
    }
}
