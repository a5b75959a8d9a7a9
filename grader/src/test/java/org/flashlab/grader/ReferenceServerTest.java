package org.flashlab.grader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.flashlab.cli.Cli;
import org.flashlab.cli.ExitCode;
import org.flashlab.reference.Main;
import org.flashlab.reference.Model;
import org.junit.jupiter.api.Test;

/** The grader names the reference server instead of linking to it: the names must stay true. */
class ReferenceServerTest {
    @Test
    void theNamesAreTheServersOwn() {
        assertThat(ReferenceServer.MAIN).isEqualTo(Main.class.getName());
        assertThat(ReferenceServer.MODELS).containsExactlyElementsOf(Arrays.stream(Model.values()).map(Model::cliName).toList());
    }

    @Test
    void theCommandRunsTheChosenModel() {
        List<String> command = ReferenceServer.command("amped", List.of("--port", "0"));
        assertThat(command).containsSubsequence(ReferenceServer.MAIN, "--model", "amped", "--port", "0");
    }

    @Test
    void anUnknownModelIsAUsageErrorThatListsTheKnownOnes() {
        assertThatThrownBy(() -> ReferenceServer.command("spd", List.of()))
                .isInstanceOf(Cli.UserError.class)
                .hasMessageContaining("unknown model 'spd'").hasMessageContaining("sped, nsped")
                .satisfies(e -> assertThat(((Cli.UserError) e).exitCode()).isEqualTo(ExitCode.USAGE));
    }
}
