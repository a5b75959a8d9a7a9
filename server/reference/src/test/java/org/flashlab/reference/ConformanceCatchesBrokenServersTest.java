package org.flashlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.flashlab.contract.ArchitectureConformance;
import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.contract.Shape;
import org.flashlab.files.StaticFileHandler.Translation;
import org.flashlab.http.Response;
import org.flashlab.reference.amped.AmpedServer;
import org.flashlab.reference.common.AcceptingServer;
import org.flashlab.reference.event.DiskStage;
import org.flashlab.reference.event.EventLoop;
import org.flashlab.reference.event.EventServer;
import org.flashlab.reference.mtpool.PoolServer;
import org.flashlab.reference.sped.SpedServer;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Conformance checks that pass every server prove nothing. Here they run against servers that are
 * not what they claim, each the kind a student writes, and must fail each in the check about that one
 * thing, with the message that explains it.
 */
class ConformanceCatchesBrokenServersTest {

    /** Runs the checks against one server and returns each failed check's name with its message. */
    private static Map<String, String> failures(Class<? extends ArchitectureConformance> suite) {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(suite)).execute().testEvents();
        return tests.failed().stream().collect(Collectors.toMap(
                e -> e.getTestDescriptor().getLegacyReportingName().replace("()", ""),
                ConformanceCatchesBrokenServersTest::message));
    }

    private static String message(Event failed) {
        return failed.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                .map(Throwable::getMessage).orElse("");
    }

    @Test
    void aSpedThatHandsRequestsToAThreadPoolHasTooManyThreads() {
        assertThat(failures(SpedWithAPool.class)).containsOnlyKeys("threadsAndProcessesMatchTheClaim")
                .extractingByKey("threadsAndProcessesMatchTheClaim").asString()
                .contains("Expected SPED (one event loop) to serve with at most 1 thread; saw 601 serving threads [mt-pool-worker-")
                .contains("a threaded server under another name");
    }

    @Test
    void anAmpedWhoseLoopReadsColdFilesItselfStallsOnTheDisk() {
        Map<String, String> failed = failures(AmpedThatIsSped.class);
        assertThat(failed).containsOnlyKeys("theLoopNeverWaitsForData", "theLoopNeverWaitsForAPathLookup")
                .extractingByKey("theLoopNeverWaitsForData").asString()
                .contains("Expected a file already in memory to be served while another request waited for reading a file's bytes")
                .contains("thread sped data ").contains("SPED's weakness");
        assertThat(failed.get("theLoopNeverWaitsForAPathLookup")).contains("thread sped metadata ");
    }

    @Test
    void anMpThatIsOneProcessWithThreadsHasNoWorkers() {
        assertThat(failures(MpThatIsAPool.class)).containsOnlyKeys("threadsAndProcessesMatchTheClaim")
                .extractingByKey("threadsAndProcessesMatchTheClaim").asString()
                .contains("Expected 2 single-connection worker processes, each a child process of the server; saw")
                .contains("0 child processes");
    }

    @Test
    void anMtThatSerialisesEveryConnectionOnOneLockStallsBehindASlowClient() {
        // The reader's thread holds the lock once its response has begun; which thread gets an
        // unfair lock first otherwise is up to the JVM, so only this check is certain to fail.
        assertThat(failures(MtWithAGlobalLock.class))
                .extractingByKey("aClientThatStopsReadingStallsNoOne").asString()
                .contains("Expected the request of client 2 to be answered while client 1 was not reading its 16 MB response")
                .contains("one slow reader stop everyone");
    }

    @Test
    void anAmpedWhoseLoopResolvesPathsItselfStallsOnALookup() {
        assertThat(failures(AmpedThatResolvesOnItsLoop.class)).containsOnlyKeys("theLoopNeverWaitsForAPathLookup")
                .extractingByKey("theLoopNeverWaitsForAPathLookup").asString()
                .contains("while another request waited for translating a path that is not in the pathname cache")
                .contains("thread amped metadata ");
    }

    // ---------------------------------------------------------------- the broken servers

    /** "SPED", but a pool of 16 threads serves behind the acceptor. */
    static class SpedWithAPool extends ArchitectureConformance {
        @Override
        protected Shape shape() {
            return Shape.eventLoop();
        }

        @Override
        protected ServerUnderTest start(ServerConfig config) throws Exception {
            return InProcessServer.start(new PoolServer(config, 600, 1024));
        }
    }

    /** "AMPED", but its loop reads everything itself: SPED under Flash's name. */
    static class AmpedThatIsSped extends ArchitectureConformance {
        @Override
        protected Shape shape() {
            return Shape.eventLoopWithHelperProcesses(4);
        }

        @Override
        protected ServerUnderTest start(ServerConfig config) throws Exception {
            return InProcessServer.start(new SpedServer(config));
        }
    }

    /** "MP", but one process with a pool of threads. */
    static class MpThatIsAPool extends ArchitectureConformance {
        @Override
        protected Shape shape() {
            return Shape.processes(2, false);
        }

        @Override
        protected ServerUnderTest start(ServerConfig config) throws Exception {
            return InProcessServer.start(new PoolServer(config, 4, 1024));
        }
    }

    /** "MT, a thread per connection", but every connection is served under one global lock. */
    static class MtWithAGlobalLock extends ArchitectureConformance {
        @Override
        protected Shape shape() {
            return Shape.threadPerConnection();
        }

        @Override
        protected ServerUnderTest start(ServerConfig config) throws Exception {
            return InProcessServer.start(new GlobalLockServer(config));
        }
    }

    static final class GlobalLockServer extends AcceptingServer {
        private static final Object LOCK = new Object();

        GlobalLockServer(ServerConfig config) throws IOException {
            super("mt-locked", config, config.newHandler());
        }

        @Override
        protected void dispatch(SocketChannel connection) {
            Thread.ofPlatform().name("mt-locked-conn").start(() -> {
                synchronized (LOCK) { // "the handler is not thread-safe": now nothing runs in parallel
                    serve(connection);
                }
            });
        }

        @Override
        protected void stopWorkers() {}
    }

    /** "AMPED" with helper processes for the file's bytes, but its loop translates paths itself. */
    static class AmpedThatResolvesOnItsLoop extends ArchitectureConformance {
        @Override
        protected Shape shape() {
            return Shape.eventLoopWithHelperProcesses(4);
        }

        @Override
        protected ServerUnderTest start(ServerConfig config) throws Exception {
            DiskStage helpers = AmpedServer.helperProcesses(4, Duration.ZERO);
            DiskStage pathsOnTheLoop = new DiskStage() {
                @Override
                public boolean needsTranslation(String target) {
                    return false; // the bug: "the path cache is fast enough", except on a miss
                }

                @Override
                public void translate(String target, Consumer<Translation> done) {
                    throw new IllegalStateException("never asked");
                }

                @Override
                public boolean needsHelper(Response response) {
                    return helpers.needsHelper(response);
                }

                @Override
                public void fetch(Response response, Runnable done) {
                    helpers.fetch(response, done);
                }

                @Override
                public void attach(EventLoop loop) throws IOException {
                    helpers.attach(loop);
                }

                @Override
                public void close() {
                    helpers.close();
                }
            };
            return InProcessServer.start(new EventServer("amped", config, pathsOnTheLoop));
        }
    }
}
