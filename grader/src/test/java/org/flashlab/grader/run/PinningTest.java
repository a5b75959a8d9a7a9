package org.flashlab.grader.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The CPUs a process may use, as the kernel lists them: a batch job's or a container's set, not 0 to n-1. */
class PinningTest {
    @Test
    void readsTheKernelsCpuListFormat() {
        assertThat(Pinning.parseCpuList("0-2,5")).containsExactly(0, 1, 2, 5);
        assertThat(Pinning.parseCpuList("7")).containsExactly(7);
    }

    @Test
    void theServerGetsTheFirstAllowedCpuAndTheClientTheOthers() {
        Pinning p = Pinning.byDefault();
        if (p.serverCpus() != null) {
            assertThat(Pinning.allowedCpus()).first().isEqualTo(Integer.parseInt(p.serverCpus()));
            assertThat(Pinning.parseCpuList(p.clientCpus())).isNotEmpty().doesNotContain(Integer.parseInt(p.serverCpus()));
        }
    }
}
