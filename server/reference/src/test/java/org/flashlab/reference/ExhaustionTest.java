package org.flashlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.flashlab.contract.RawClient;
import org.flashlab.contract.ServerProcess;
import org.flashlab.reference.process.ChildJvm;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Out of file descriptors (EMFILE): accept fails, the server backs off and keeps running, and once
 * clients leave it serves again. The server runs as a child process under `ulimit -n 64`, so it
 * really runs out, and the test JVM does not.
 */
@Timeout(120)
class ExhaustionTest {
    @TempDir
    Path www;

    @ParameterizedTest
    @ValueSource(strings = {"sped", "mt-per-connection", "multi-reactor", "amted"})
    void survivesRunningOutOfDescriptors(String model) throws IOException {
        Files.writeString(www.resolve("hello.txt"), "hello\n");
        String java = String.join(" ", ChildJvm.command(Main.class,
                List.of("--model", model, "--port", "0", "--docroot", www.toString())).stream()
                .map(word -> "'" + word.replace("'", "'\\''") + "'").toList());
        List<String> command = List.of("bash", "-c", "ulimit -n 64 && exec " + java);
        try (ServerProcess server = ServerProcess.start(command, null, Duration.ofSeconds(60))) {
            List<RawClient> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 100; i++) { // more than 64 descriptors' worth: the kernel completes them all
                    flood.add(new RawClient(server.port()));
                }
                await("the server to hit EMFILE").atMost(Duration.ofSeconds(30))
                        .until(() -> server.output().contains("accept failed"));
            } finally {
                for (RawClient client : flood) {
                    client.close();
                }
            }
            assertThat(server.isAlive()).isTrue();
            await("the server to serve again once descriptors are free").atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> {
                        try (RawClient client = new RawClient(server.port())) {
                            return client.get("/hello.txt").bodyText().equals("hello\n");
                        }
                    });
        }
    }
}
