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
