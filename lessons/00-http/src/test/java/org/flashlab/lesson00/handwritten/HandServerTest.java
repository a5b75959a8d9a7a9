package org.flashlab.lesson00.handwritten;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.flashlab.files.DocumentRoot;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Task 3: HandServer walks the seven steps. Most tests call serveOne on bytes, without a socket. */
class HandServerTest {
    private static final String HINT = " (hint: README, \"Task 3\")";
    private static final String PAGE = "<h1>hello</h1>\n";

    @TempDir
    Path docroot;
    private DocumentRoot root;

    @BeforeEach
    void site() throws IOException {
        Files.writeString(docroot.resolve("index.html"), PAGE);
        Files.createDirectory(docroot.resolve("docs"));
        Files.writeString(docroot.resolve("docs/index.html"), "docs\n");
        root = new DocumentRoot(docroot);
    }

    /** Runs serveOne on one request and returns everything it wrote. */
    private String answer(String request) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HandServer.serveOne(new ByteArrayInputStream(request.getBytes(StandardCharsets.ISO_8859_1)), out, root);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String head(String response) {
        int end = response.indexOf("\r\n\r\n");
        assertThat(end).as("the response has a head that ends in an empty line (CRLF CRLF); it was:%n%s" + HINT,
                response).isGreaterThanOrEqualTo(0);
        return response.substring(0, end + 2);
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    @DisplayName("GET of a file: 200, the file's type and length, Connection: close, then the bytes")
    void servesAFile() throws IOException {
        String response = answer("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
        String head = head(response);
        assertThat(head).as("the status line" + HINT).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(head).as("the head's fields" + HINT)
                .contains("\r\nContent-Length: " + PAGE.length() + "\r\n")
                .contains("\r\nContent-Type: text/html")
                .contains("\r\nConnection: close\r\n");
        assertThat(body(response)).as("the body: the file's bytes, nothing more" + HINT).isEqualTo(PAGE);
    }

    @Test
    @DisplayName("HEAD: the same head as GET, and no body")
    void head() throws IOException {
        String response = answer("HEAD /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(head(response)).as("HEAD's head" + HINT).startsWith("HTTP/1.1 200 OK\r\n")
                .contains("Content-Length: " + PAGE.length() + "\r\n");
        assertThat(body(response)).as("what follows HEAD's head" + HINT).isEmpty();
    }

    @Test
    @DisplayName("a directory's target serves its index.html")
    void directoryIndex() throws IOException {
        assertThat(body(answer("GET /docs/ HTTP/1.1\r\n\r\n"))).as("the body for /docs/" + HINT).isEqualTo("docs\n");
    }

    @Test
    @DisplayName("a directory named without its final '/' is redirected with 301 and Location")
    void redirect() throws IOException {
        assertThat(head(answer("GET /docs HTTP/1.1\r\n\r\n"))).as("the answer to /docs" + HINT)
                .startsWith("HTTP/1.1 301 ").contains("\r\nLocation: /docs/\r\n");
    }

    @Test
    @DisplayName("a missing file is 404 Not Found, with a short body that says so")
    void missing() throws IOException {
        String response = answer("GET /nope.html HTTP/1.1\r\n\r\n");
        assertThat(response).as("the answer to a missing file" + HINT).startsWith("HTTP/1.1 404 Not Found\r\n");
        String body = body(response);
        assertThat(body).as("the 404's body" + HINT).isNotEmpty();
        assertThat(head(response)).as("the 404's Content-Length, which must match its body" + HINT)
                .contains("\r\nContent-Length: " + body.length() + "\r\n");
    }

    @Test
    @DisplayName("HEAD of a missing file: 404, and no body")
    void headOfMissing() throws IOException {
        String response = answer("HEAD /nope.html HTTP/1.1\r\n\r\n");
        assertThat(response).as("the answer to HEAD of a missing file" + HINT).startsWith("HTTP/1.1 404 ");
        assertThat(body(response)).as("what follows the head of a HEAD answer" + HINT).isEmpty();
    }

    @Test
    @DisplayName("a path that climbs out of the docroot is refused, never served")
    void traversal() throws IOException {
        Files.writeString(docroot.getParent().resolve("secret.txt"), "secret");
        try {
            String response = answer("GET /../secret.txt HTTP/1.1\r\n\r\n");
            assertThat(response).as("the answer to /../secret.txt: let DocumentRoot.resolve refuse it" + HINT)
                    .startsWith("HTTP/1.1 4").doesNotContain("secret");
        } finally {
            Files.delete(docroot.getParent().resolve("secret.txt"));
        }
    }

    @Test
    @DisplayName("a request the parser refuses gets the parser's status: garbage is 400")
    void garbage() throws IOException {
        assertThat(answer("HELLO\r\n\r\n")).as("the answer to a request line that is not one" + HINT)
                .startsWith("HTTP/1.1 400 Bad Request\r\n");
    }

    @Test
    @DisplayName("a method other than GET and HEAD is 501 Not Implemented")
    void otherMethods() throws IOException {
        assertThat(answer("DELETE /index.html HTTP/1.1\r\n\r\n")).as("the answer to DELETE" + HINT)
                .startsWith("HTTP/1.1 501 Not Implemented\r\n");
    }

    @Test
    @DisplayName("a client that sends nothing gets nothing")
    void nothing() throws IOException {
        assertThat(answer("")).as("what serveOne writes when the client closed at once" + HINT).isEmpty();
    }

    @Test
    @Timeout(30)
    @DisplayName("close() wakes the thread that waits for a client's request, and returns when it has ended")
    void closeWakesTheServingThread() throws Exception {
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        HandServer server = new HandServer(ServerConfig.of(docroot));
        server.start();
        try (Socket silent = new Socket("127.0.0.1", server.port())) { // accepted, and then sends nothing
            silent.setSoTimeout(10_000);
            silent.getOutputStream().write("GET / HT".getBytes(StandardCharsets.US_ASCII));
            server.close();
            assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                    .filter(Thread::isAlive).map(Thread::getName).filter(n -> n.equals("hand-server")))
                    .as("the server's thread right after close() returned" + HINT).isEmpty();
            assertThat(silent.getInputStream().read()).as("what the silent client reads after close()" + HINT)
                    .isEqualTo(-1);
        } catch (java.net.SocketException reset) {
            // A reset also tells the client its connection is gone.
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("over a real socket: a client gets its file and then end-of-stream")
    void overASocket() throws IOException {
        try (HandServer server = new HandServer(ServerConfig.of(docroot))) {
            server.start();
            for (int i = 0; i < 3; i++) { // one after another: the server goes back to accept()
                try (Socket client = new Socket("127.0.0.1", server.port())) {
                    client.setSoTimeout(10_000);
                    OutputStream out = client.getOutputStream();
                    out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    InputStream in = client.getInputStream();
                    String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                    assertThat(response).as("client %d's whole answer, read until the server closed" + HINT, i + 1)
                            .startsWith("HTTP/1.1 200 OK\r\n").endsWith(PAGE);
                }
            }
        }
    }
}
