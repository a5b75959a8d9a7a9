package org.flashlab.grader.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.flashlab.files.PageCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's limits on a real child process. Where cgroups cannot be used (not root, macOS) the
 * probe must say why in one line, and the tests that need them are skipped.
 */
@Timeout(120)
@EnabledOnOs(OS.LINUX)
class KernelLimitsTest {
    @TempDir
    Path dir;

    @Test
    void theProbeEitherWorksOrSaysWhyInOneLine() {
        KernelLimits.Probe probe = KernelLimits.probe();
        if (!probe.usable()) {
            assertThat(probe.unusable()).isNotBlank().doesNotContain("\n");
        } else {
            assertThat(probe.version()).isNotNull();
        }
    }

    @Test
    void aFolderOnTmpfsHasNoDiskToThrottle() throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no /dev/shm here");
        assertThatThrownBy(() -> KernelLimits.deviceOf(shm))
                .isInstanceOf(IOException.class).hasMessageContaining("tmpfs").hasMessageContaining("--dir");
    }

    @Test
    void aFolderOnADiskNamesTheWholeDisk() throws IOException {
        String device;
        try {
            device = KernelLimits.deviceOf(dir);
        } catch (IOException e) {
            assumeTrue(false, "the temporary folder is not on a disk here: " + e.getMessage());
            return;
        }
        assertThat(device).matches("\\d+:\\d+");
        assertThat(Path.of("/sys/dev/block", device, "partition")).as("a whole disk, not a partition").doesNotExist();
    }

    /**
     * A child started through {@link KernelLimits#wrap} is inside the group, and reading a file three
     * times the limit leaves the group's peak (its memory plus its page cache) within the limit.
     */
    @Test
    void theWrappedProcessIsInTheGroupAndItsPageCacheIsHeldToTheLimit() throws Exception {
        assumeTrue(KernelLimits.probe().usable(), () -> "cgroups not usable: " + KernelLimits.probe().unusable());
        long limit = 32L * 1024 * 1024;
        Path big = dir.resolve("big.bin");
        byte[] chunk = new byte[1024 * 1024];
        new Random(1).nextBytes(chunk);
        try (var out = Files.newOutputStream(big)) {
            for (int i = 0; i < 96; i++) {
                out.write(chunk);
            }
        }
        PageCache.syncFileSystem(big);
        PageCache.evict(big); // charged to nobody: the child reads it all from the disk
        try (KernelLimits limits = KernelLimits.create(limit, null)) {
            Process p = new ProcessBuilder(limits.wrap(List.of("/bin/sh", "-c",
                    "cat /proc/self/cgroup; cat '" + big + "' > /dev/null")))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("flashlab-" + ProcessHandle.current().pid());
            assertThat(limits.peakBytes()).as("peak of the group, page cache included")
                    .isPositive().isLessThanOrEqualTo(limit);
            assertThat(limits.limitHits()).as("96 MB through a 32 MB group: the kernel reclaimed at the limit")
                    .isPositive();
        }
    }
}
