package org.flashlab.lesson07;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.flashlab.contract.RawClient;
import org.flashlab.files.StaticFileHandler;
import org.flashlab.lesson07.event.Reactor;
import org.flashlab.lesson07.multireactor.MultiReactorServer;
import org.flashlab.server.ServerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Event routing on several cores: connections handed from the acceptor to the reactors. */
@Timeout(60)
class ReactorsTest {
    @TempDir
    Path dir;

    private ServerConfig config() throws Exception {
        Path site = Files.createDirectory(dir.resolve("www"));
        Files.writeString(site.resolve("index.html"), "<h1>routed</h1>\n");
        return ServerConfig.of(site).withIdleTimeout(Duration.ofSeconds(30));
    }

    @Test
    @DisplayName("a connection accepted by another thread and handed to a sleeping reactor is served")
    void adoptWakesTheReactor() throws Exception {
        ServerConfig config = config();
        try (StaticFileHandler handler = config.newHandler();
             ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            Reactor reactor = new Reactor("reactor-test", config, handler, null);
            reactor.start();
            try (RawClient client = new RawClient(((InetSocketAddress) listener.getLocalAddress()).getPort())) {
                SocketChannel accepted = listener.accept(); // accepted here, on the test's thread
                reactor.adopt(accepted); // the reactor sleeps in select() with nothing registered
                assertThat(client.get("/index.html").bodyText()).isEqualTo("<h1>routed</h1>\n");
                assertThat(reactor.connections()).isEqualTo(1);
            } finally {
                reactor.close();
            }
        }
    }

    @Test
    @DisplayName("the acceptor deals connections out to every reactor, in turn")
    void everyReactorGetsConnections() throws Exception {
        try (MultiReactorServer server = new MultiReactorServer(config())) {
            server.start();
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 2 * MultiReactorServer.REACTORS; i++) {
                    RawClient c = new RawClient(server.port());
                    clients.add(c);
                    assertThat(c.get("/index.html").status()).isEqualTo(200); // kept alive: stays on its reactor
                }
                await("two connections on each of the " + MultiReactorServer.REACTORS + " reactors")
                        .atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertThat(server.connectionsPerReactor()).containsOnly(2));
            } finally {
                for (RawClient c : clients) {
                    c.close();
                }
            }
        }
    }
}
