package org.flashlab.lesson04;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.flashlab.lesson04.aio.AsyncRead;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Java's asynchronous file read, and who really does the reading on Linux. */
class AsyncReadTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("AsynchronousFileChannel reads the bytes, and its completion runs on another thread: a pool's")
    void completesOnAPoolThread() throws Exception {
        Path file = dir.resolve("page.html");
        Files.writeString(file, "<p>asynchronous, or helpers by another name</p>\n");
        AsyncRead.Result r = AsyncRead.read(file, 4096).get(30, TimeUnit.SECONDS);
        assertThat(r.bytes()).as("the bytes read").isEqualTo(Files.readAllBytes(file));
        assertThat(r.callerThread()).as("the caller").isEqualTo(Thread.currentThread().getName());
        assertThat(r.doneThread()).as("the thread that ran the completion handler").isNotEqualTo(r.callerThread());
    }

    @Test
    @DisplayName("a read of a file that is not there fails at once, not in the handler")
    void missingFile() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AsyncRead.read(dir.resolve("none"), 10))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }
}
