package org.flashlab.lesson04.aio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;

/**
 * Task 4: asynchronous file I/O, as the JDK offers it. {@link AsynchronousFileChannel#read} returns at
 * once and calls a {@link CompletionHandler} when the bytes are there: the interface the lecture's
 * "asynchronous I/O operations" describe. On Linux the JDK does not ask the kernel for asynchronous
 * file reads: a pool of threads makes ordinary blocking reads and calls the handler. Helpers by
 * another name. This task shows it: the handler runs on a thread that is not the caller's.
 */
public final class AsyncRead {
    private AsyncRead() {}

    /**
     * What one read brought back, and who did it.
     *
     * @param bytes        the file's first bytes, up to the buffer's size
     * @param callerThread the thread that called {@link #read}
     * @param doneThread   the thread on which the completion handler ran
     */
    public record Result(byte[] bytes, String callerThread, String doneThread) {}

    /**
     * Starts reading up to {@code max} bytes from the start of {@code file}, and returns at once; the
     * future completes in the completion handler (or fails with its exception).
     */
    public static CompletableFuture<Result> read(Path file, int max) throws IOException {
        // BEGIN SOLUTION
        String caller = Thread.currentThread().getName();
        AsynchronousFileChannel channel = AsynchronousFileChannel.open(file, StandardOpenOption.READ);
        ByteBuffer buffer = ByteBuffer.allocate(max);
        CompletableFuture<Result> result = new CompletableFuture<>();
        channel.read(buffer, 0, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void attachment) {
                byte[] bytes = new byte[Math.max(n, 0)];
                buffer.flip().get(bytes);
                close();
                result.complete(new Result(bytes, caller, Thread.currentThread().getName()));
            }

            @Override
            public void failed(Throwable e, Void attachment) {
                close();
                result.completeExceptionally(e);
            }

            private void close() {
                try {
                    channel.close();
                } catch (IOException e) {
                    result.completeExceptionally(e);
                }
            }
        });
        return result;
        // STARTER
        // // TODO Task 4: open an AsynchronousFileChannel, read into a buffer with a CompletionHandler, and
        // // complete the future there, naming the threads (README, "Task 4").
        // throw new UnsupportedOperationException("Task 4 is not done yet: AsyncRead.read (README, \"Task 4\")");
        // END SOLUTION
    }
}
