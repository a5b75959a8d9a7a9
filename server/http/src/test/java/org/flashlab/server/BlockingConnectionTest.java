package org.flashlab.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.flashlab.files.DocumentRoot;
import org.flashlab.files.StaticFileHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The blocking request loop over a real loopback connection, one server thread per test. */
@Timeout(30)
class BlockingConnectionTest {
    @TempDir
    Path www;
    ServerSocketChannel listener;
    Thread serving;
    Socket client;

    @BeforeEach
    void listen() throws IOException {
        Files.writeString(www.resolve("a.txt"), "aaa");
        listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        listener.close();
        if (serving != null) {
            serving.join();
        }
    }

    /** Connects a client and serves its connection on a new thread. */
    private InputStream connect(Duration idleTimeout) throws IOException {
        ServerConfig config = ServerConfig.of(www).withIdleTimeout(idleTimeout);
        StaticFileHandler handler = new StaticFileHandler(new DocumentRoot(www));
        client = new Socket("127.0.0.1", ((InetSocketAddress) listener.getLocalAddress()).getPort());
        client.setSoTimeout(20_000);
        SocketChannel accepted = listener.accept();
        serving = Thread.ofPlatform().start(() -> BlockingConnection.serve(accepted, handler, config));
        return client.getInputStream();
    }

    private void send(String text) throws IOException {
        client.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void answersPipelinedRequestsThenClosesOnConnectionClose() throws IOException {
        InputStream in = connect(Duration.ofSeconds(10));
        send("GET /a.txt HTTP/1.1\r\nHost: h\r\n\r\nHEAD /a.txt HTTP/1.1\r\nHost: h\r\n\r\n"
                + "GET /missing HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        String all = readAll(in); // ends only if the server closes after the third response
        assertThat(all.split("HTTP/1.1 ", -1)).hasSize(4);
        assertThat(all).contains("200 OK").contains("404 Not Found").endsWith("</h1>\n");
        assertThat(all.indexOf("aaa")).as("only the GET carries the body").isEqualTo(all.lastIndexOf("aaa"));
    }

    @Test
    void refusesAMalformedRequestAndClosesAfterLingering() throws IOException {
        InputStream in = connect(Duration.ofSeconds(10));
        send("BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n" + "x".repeat(100_000));
        client.shutdownOutput();
        String all = readAll(in);
        assertThat(all).startsWith("HTTP/1.1 501 Not Implemented\r\n").contains("Connection: close\r\n");
    }

    @Test
    void aHalfSentRequestTimesOutWith408() throws IOException {
        InputStream in = connect(Duration.ofMillis(200));
        send("GET /a.txt HTTP/1.1\r\nHo");
        assertThat(readAll(in)).startsWith("HTTP/1.1 408 Request Timeout\r\n");
    }

    @Test
    void anIdleConnectionIsClosedSilently() throws IOException {
        InputStream in = connect(Duration.ofMillis(200));
        assertThat(readAll(in)).isEmpty();
    }

    @Test
    void aClientThatLeavesEndsTheLoop() throws Exception {
        connect(Duration.ofSeconds(10));
        client.close();
        serving.join();
        assertThat(serving.isAlive()).isFalse();
    }

    @Test
    void openConnectionsClosesWhatItTracks() throws IOException {
        OpenConnections open = new OpenConnections();
        SocketChannel a = SocketChannel.open();
        open.add(a);
        assertThat(open.size()).isEqualTo(1);
        open.closeAll();
        assertThat(a.isOpen()).isFalse();
        assertThat(open.size()).isZero();
        open.remove(a);
    }

    @Test
    void configValidatesItsFields() {
        ServerConfig config = ServerConfig.of(www).withHost("0.0.0.0").withPort(8080);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(8080);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.withPort(70_000))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.withIdleTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Server.readinessLine(new InetSocketAddress("127.0.0.1", 1234)))
                .isEqualTo("Listening on http://127.0.0.1:1234/");
    }
}
