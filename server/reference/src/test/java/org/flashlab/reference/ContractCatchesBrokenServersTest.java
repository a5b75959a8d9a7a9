package org.flashlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;

import org.flashlab.contract.InProcessServer;
import org.flashlab.contract.ServerContract;
import org.flashlab.contract.ServerUnderTest;
import org.flashlab.files.DocumentRoot;
import org.flashlab.files.StaticFileHandler;
import org.flashlab.http.HttpRequest;
import org.flashlab.http.HttpStatus;
import org.flashlab.http.Response;
import org.flashlab.reference.iterative.IterativeServer;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * A contract that passes everything proves nothing. Here the suite runs against servers broken on
 * purpose, each in one way, and must fail them in the tests that check that one thing.
 */
class ContractCatchesBrokenServersTest {

    /** Runs the contract against one broken server and returns the names of the failed tests. */
    private static List<String> failedTests(Class<? extends ServerContract> brokenContract) {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(brokenContract))
                .execute()
                .testEvents();
        assertThat(tests.succeeded().count()).as("the rest of the suite still runs and passes").isPositive();
        return tests.failed().stream()
                .map(Event::getTestDescriptor)
                .map(d -> d.getLegacyReportingName() + " " + d.getDisplayName())
                .toList();
    }

    @Test
    void failsAServerThatSendsWrongBytes() {
        assertThat(failedTests(WrongBytes.class))
                .as("exact-bytes tests fail").anyMatch(name -> name.startsWith("exactBytes"))
                .as("the table's body checks fail").anyMatch(name -> name.contains("GET a text file"));
    }

    @Test
    void failsAServerThatSendsAWrongStatus() {
        assertThat(failedTests(MissingIsOk.class))
                .anyMatch(name -> name.contains("missing file"))
                .noneMatch(name -> name.startsWith("exactBytes"));
    }

    @Test
    void failsAServerThatOmitsContentLength() {
        assertThat(failedTests(NoContentLength.class))
                .anyMatch(name -> name.contains("GET a text file"))
                .anyMatch(name -> name.startsWith("keepAliveServesManyRequests"));
    }

    // ---------------------------------------------------------------- the broken servers

    /** An iterative server whose every response passes through {@code sabotage}. */
    abstract static class BrokenContract extends ServerContract {
        abstract Response sabotage(Response good) throws IOException;

        @Override
        protected ServerUnderTest start(ServerConfig config) throws Exception {
            StaticFileHandler broken = new StaticFileHandler(new DocumentRoot(config.docroot())) {
                @Override
                public Response respond(HttpRequest request) {
                    try {
                        return sabotage(super.respond(request));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
            return InProcessServer.start(new IterativeServer(config, broken));
        }
    }

    /** Flips the first byte of every body. */
    static class WrongBytes extends BrokenContract {
        @Override
        Response sabotage(Response good) throws IOException {
            if (good.body() != null && good.body().hasRemaining()) { // an error page or a mapped file
                ByteBuffer copy = ByteBuffer.allocate(good.body().remaining()).put(good.body().duplicate()).flip();
                copy.put(0, (byte) ~copy.get(0));
                return Response.bytes(good.status(), good.head(), copy, good.keepAlive());
            }
            if (good.file() == null || good.fileCount() == 0) {
                return good;
            }
            ByteBuffer body = ByteBuffer.allocate((int) good.fileCount());
            good.file().read(body, good.filePosition());
            good.close();
            body.put(0, (byte) ~body.get(0)).flip();
            return Response.bytes(good.status(), good.head(), body, good.keepAlive());
        }
    }

    /** Says "200 OK" where it means 404. */
    static class MissingIsOk extends BrokenContract {
        @Override
        Response sabotage(Response good) {
            return good.status() != HttpStatus.NOT_FOUND ? good
                    : rewriteHead(good, head -> head.replace("404 Not Found", "200 OK"));
        }
    }

    /** Drops the Content-Length line, so a client cannot find the end of the body. */
    static class NoContentLength extends BrokenContract {
        @Override
        Response sabotage(Response good) {
            return rewriteHead(good, head -> head.replaceAll("Content-Length: \\d+\r\n", ""));
        }
    }

    static Response rewriteHead(Response r, UnaryOperator<String> edit) {
        String head = StandardCharsets.ISO_8859_1.decode(r.head()).toString();
        ByteBuffer edited = ByteBuffer.wrap(edit.apply(head).getBytes(StandardCharsets.ISO_8859_1));
        return new Response(r.status(), edited, r.body(), r.file(), r.filePosition(), r.fileCount(), r.keepAlive(),
                r.source(), r.lease());
    }
}
