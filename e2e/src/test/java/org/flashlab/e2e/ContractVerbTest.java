package org.flashlab.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flashlab.e2e.Support.QUICK;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** `./flashlab contract -- COMMAND...`: the README's own example, run exactly as written there. */
class ContractVerbTest {
    private final FreshCopy copy = FreshCopy.get();

    /** The example command in the README, between backticks. */
    static List<String> readmeExample() throws IOException {
        String readme = Files.readString(FreshCopy.SOURCE.resolve("README.md"));
        Matcher m = Pattern.compile("`(\\./flashlab contract -- [^`]*\\{port}[^`]*)`").matcher(readme);
        assertThat(m.find()).as("the README shows a runnable example of ./flashlab contract, with {port}").isTrue();
        return Arrays.asList(m.group(1).strip().split("\\s+"));
    }

    @Test
    @Verb("contract")
    void theReadmeExamplePassesAsWritten() throws IOException {
        List<String> example = readmeExample();
        FreshCopy.Result r = copy.run(Duration.ofMinutes(5), env -> { }, example);
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).containsPattern("contract: \\d+ passed, 0 failed");
    }

    @Test
    void withoutACommandItIsAUsageError() {
        for (String[] args : new String[][] {{"contract"}, {"contract", "--"}}) {
            FreshCopy.Result r = copy.flashlab(QUICK, args);
            assertThat(r.exit()).as(r.describe()).isEqualTo(2);
            assertThat(r.stderr()).contains("COMMAND").doesNotContain("Exception");
        }
    }

    @Test
    void aServerThatFailsTheContractExitsOne() {
        // A "server" that announces itself and then answers nothing: every check fails, no hang.
        FreshCopy.Result r = copy.flashlab(Duration.ofMinutes(5), "contract", "--", "sh", "-c",
                "echo 'Listening on http://127.0.0.1:{port}/'; exec sleep 600");
        assertThat(r.exit()).as(r.describe()).isEqualTo(1);
        assertThat(r.stdout()).containsPattern("contract: 0 passed, [1-9]\\d* failed");
    }
}
