package org.flashlab.grader.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.flashlab.cli.Cli;
import org.flashlab.grader.lessons.fixture.SampleServer;
import org.flashlab.server.Server;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeLessonTest {
    @Test
    void constructsTheLessonsServerWithItsConfig(@TempDir Path dir) throws Exception {
        Server s = ServeLesson.construct(SampleServer.class.getName(), ServerConfig.of(dir));
        assertThat(s).isInstanceOf(SampleServer.class);
        assertThat(s.port()).isEqualTo(4242);
    }

    @Test
    void saysWhatIsWrongWithTheClass(@TempDir Path dir) {
        ServerConfig config = ServerConfig.of(dir);
        assertThatThrownBy(() -> ServeLesson.construct("org.example.Missing", config))
                .isInstanceOf(Cli.UserError.class).hasMessageContaining("is not on the classpath");
        assertThatThrownBy(() -> ServeLesson.construct(String.class.getName(), config))
                .isInstanceOf(Cli.UserError.class).hasMessageContaining("does not implement org.flashlab.server.Server");
        assertThatThrownBy(() -> ServeLesson.construct(NoConfig.class.getName(), config))
                .isInstanceOf(Cli.UserError.class).hasMessageContaining("no public constructor that takes a ServerConfig");
        assertThatThrownBy(() -> ServeLesson.construct(SampleServer.class.getName(), config.withPort(1)))
                .as("the constructor's own exception, unwrapped").isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port 1 is refused");
    }

    @Test
    void refusesBadOptions(@TempDir Path dir) {
        assertThat(Cli.execute(new ServeLesson(), SampleServer.class.getName(), "--docroot", dir.resolve("none").toString()))
                .isEqualTo(2);
        assertThat(Cli.execute(new ServeLesson(), SampleServer.class.getName(), "--docroot", dir.toString(), "--port", "70000"))
                .isEqualTo(2);
    }

    @Test
    void optionsBecomeTheConfiguration(@TempDir Path dir) {
        ServeLesson plain = new ServeLesson();
        new picocli.CommandLine(plain).parseArgs("X", "--docroot", dir.toString());
        ServerConfig config = plain.config();
        assertThat(config.optimizations()).isEqualTo(new org.flashlab.files.Optimizations(true, true, true,
                128L * 1024 * 1024, true, true));
        assertThat(config.simulatedDisk()).isNull();

        ServeLesson switched = new ServeLesson();
        new picocli.CommandLine(switched).parseArgs("X", "--docroot", dir.toString(), "--no-path-cache", "--no-zero-copy",
                "--mapped-cache-mb", "4", "--sim-disk-cache-mb", "64", "--sim-disk-miss-ms", "2.5",
                "--sim-disk-gate", dir.resolve("gate").toString());
        config = switched.config();
        assertThat(config.optimizations()).isEqualTo(new org.flashlab.files.Optimizations(false, true, true,
                4L * 1024 * 1024, true, false));
        assertThat(config.simulatedDisk().missDelay()).isEqualTo(java.time.Duration.ofMillis(2).plusNanos(500_000));
        assertThat(config.simulatedDisk().gate().file()).isEqualTo(dir.resolve("gate").toAbsolutePath());

        ServeLesson off = new ServeLesson();
        new picocli.CommandLine(off).parseArgs("X", "--docroot", dir.toString(), "--no-optimizations");
        assertThat(off.config().optimizations()).isEqualTo(org.flashlab.files.Optimizations.ALL_OFF);
    }

    @Test
    void aGateNeedsTheEmulatedDisk(@TempDir Path dir) {
        assertThat(Cli.execute(new ServeLesson(), SampleServer.class.getName(), "--docroot", dir.toString(),
                "--sim-disk-gate", dir.resolve("gate").toString())).isEqualTo(2);
    }

    /** A server class without the constructor the lessons' servers have. */
    public static final class NoConfig implements Server {
        @Override
        public void start() {
        }

        @Override
        public java.net.InetSocketAddress address() {
            return null;
        }

        @Override
        public void close() {
        }
    }
}
