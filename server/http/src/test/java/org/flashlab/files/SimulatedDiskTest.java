package org.flashlab.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class SimulatedDiskTest {
    private static final int B = SimulatedDisk.BLOCK;
    private final Path a = Path.of("/site/a.bin");
    private final Path b = Path.of("/site/b.bin");

    @Test
    void aReadMissesOnceAndThenTheRegionIsResident() {
        SimulatedDisk disk = new SimulatedDisk(8L * B, Duration.ZERO);
        assertThat(disk.resident(a, 0, 3L * B)).isFalse();
        assertThat(disk.missing(a, 0, 3L * B)).isEqualTo(3);
        assertThat(disk.missing(a, B - 1, 2)).as("two bytes across a block boundary").isEqualTo(2);
        disk.read(a, 0, 3L * B);
        assertThat(disk.resident(a, 0, 3L * B)).isTrue();
        assertThat(disk.resident(a, 0, 4L * B)).as("the fourth block was never read").isFalse();
        disk.read(a, 10, 100);
        assertThat(disk.hitsAndMisses()).containsExactly(1, 3);
        assertThat(disk.cachedBytes()).isEqualTo(3L * B);
        assertThat(disk.resident(a, 5, 0)).as("nothing to read is always resident").isTrue();
        assertThat(disk.waiting()).isZero();
    }

    @Test
    void theLeastRecentlyUsedBlocksLeaveFirst() {
        SimulatedDisk disk = new SimulatedDisk(4L * B, Duration.ZERO);
        disk.read(a, 0, 2L * B);
        disk.read(b, 0, 2L * B);
        disk.read(a, 0, B); // a's first block is now the most recently used
        disk.read(b, 2L * B, B); // one more block: the least recently used (a's second) goes
        assertThat(disk.resident(a, 0, B)).isTrue();
        assertThat(disk.resident(a, B, B)).isFalse();
        assertThat(disk.resident(b, 0, 3L * B)).isTrue();
        assertThat(disk.missing(a, 0, 2L * B)).as("checking does not count as a use").isEqualTo(1);
    }

    @Test
    void aCacheOfNothingHoldsNothing() {
        SimulatedDisk disk = new SimulatedDisk(B - 1, Duration.ZERO); // less than one block
        disk.read(a, 0, 10);
        assertThat(disk.resident(a, 0, 10)).isFalse();
        assertThat(disk.cachedBytes()).isZero();
        assertThatThrownBy(() -> new SimulatedDisk(-1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SimulatedDisk(0, Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPathLookupMissesOnceAndWhoWaitedIsRecorded() {
        SimulatedDisk disk = new SimulatedDisk(2L * B, Duration.ZERO); // 128 metadata entries
        assertThat(disk.metadataMissing(a)).isEqualTo(1);
        disk.lookup(a);
        assertThat(disk.metadataMissing(a)).as("looked up: now cached").isZero();
        disk.lookup(a);
        assertThat(disk.metadataMisses()).isEqualTo(1);
        assertThat(disk.waitsByThread()).containsOnlyKeys(Thread.currentThread().getName())
                .containsValue(1L);
        for (int i = 0; i < 200; i++) {
            disk.cacheMetadata(Path.of("/site/other-" + i));
        }
        assertThat(disk.metadataMissing(a)).as("pushed out by 200 newer entries").isEqualTo(1);
        assertThat(disk.gate()).isNull();
    }

    @Test
    void aClosedGateHoldsAMissUntilItsFileIsDeleted(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("gate");
        SimulatedDisk disk = new SimulatedDisk(8L * B, Duration.ZERO, new DiskGate(file));
        disk.read(a, 0, 10); // open gate: no wait
        java.nio.file.Files.createFile(file);
        Thread reader = Thread.ofPlatform().name("gated-reader").start(() -> disk.read(b, 0, 10));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> java.nio.file.Files.readString(file).contains("thread gated-reader data /site/b.bin"));
        assertThat(disk.resident(b, 0, 10)).as("held at the gate: not read yet").isFalse();
        assertThat(reader.isAlive()).isTrue();
        java.nio.file.Files.delete(file);
        reader.join(30_000);
        assertThat(reader.isAlive()).isFalse();
        assertThat(disk.resident(b, 0, 10)).isTrue();
    }

    @Test
    void itsSizeIsWholeBlocks() {
        assertThat(new SimulatedDisk(3 * SimulatedDisk.BLOCK + 100, Duration.ZERO).capacityBytes())
                .as("a cache's size, rounded down to whole 64 KB blocks").isEqualTo(3L * SimulatedDisk.BLOCK);
        assertThat(new SimulatedDisk(0, Duration.ofMillis(2)).capacityBytes()).isZero();
    }
}
