package org.flashlab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

/** JavaCommand and ParentWatch: what a multi-process server needs to start and to stop its children. */
class ChildProcessSupportTest {

    @Test
    void javaCommandRunsAClassWithThisClasspath() {
        List<String> command = JavaCommand.of("org.example.Main", List.of("--port", "0"));
        assertThat(command.getFirst()).endsWith("java");
        assertThat(command).containsSubsequence("-cp", System.getProperty("java.class.path"), "org.example.Main", "--port", "0")
                .contains("--enable-native-access=ALL-UNNAMED");
    }

    @Test
    void javaCommandKnowsWhichClassesAreThere() {
        assertThat(JavaCommand.available(ParentWatch.class.getName())).isTrue();
        assertThat(JavaCommand.available("org.flashlab.NoSuchClass")).isFalse();
    }

    @Test
    void theWatchActsWhenItsPipeEnds() throws IOException {
        PipedOutputStream parent = new PipedOutputStream();
        InputStream stdin = new PipedInputStream(parent);
        CountDownLatch ended = new CountDownLatch(1);
        Thread watch = ParentWatch.watch(stdin, ended::countDown);
        assertThat(watch.isDaemon()).as("the watch must not keep the JVM alive").isTrue();
        parent.write("ignored".getBytes());
        parent.flush();
        assertThat(ended.getCount()).as("still watching while the pipe is open").isOne();
        parent.close(); // what the kernel does when the parent dies
        await().atMost(Duration.ofSeconds(30)).until(() -> ended.getCount() == 0);
    }

    @Test
    void theWatchActsWhenItsPipeBreaks() {
        CountDownLatch ended = new CountDownLatch(1);
        ParentWatch.watch(new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("broken pipe");
            }
        }, ended::countDown);
        await().atMost(Duration.ofSeconds(30)).until(() -> ended.getCount() == 0);
    }
}
