package org.flashlab.grader.grading.broken;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flashlab.server.ServerConfig;

/**
 * Starts the reference server by name (so no class of it is ever referenced, and a static check sees
 * nothing) and forwards every connection's bytes to it. Its answers are the reference's, header for
 * header; only its sockets give it away.
 */
public final class ProxiesReference extends AcceptLoop {
    private Process reference;
    private int referencePort;

    public ProxiesReference(ServerConfig config) throws IOException {
        super(config);
    }

    @Override
    public void start() throws IOException {
        reference = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "org.flashlab." + "reference.Main", "--model", "sped",
                "--port", "0", "--docroot", config.docroot().toString())).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(reference.getInputStream(), StandardCharsets.UTF_8));
        Pattern ready = Pattern.compile("Listening on http://[^:]+:(\\d+)/");
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = ready.matcher(line);
            if (m.find()) {
                referencePort = Integer.parseInt(m.group(1));
                break;
            }
        }
        Thread.ofPlatform().daemon().start(() -> out.lines().forEach(l -> { }));
        super.start();
    }

    @Override
    protected void serve(SocketChannel connection) {
        Thread.ofPlatform().daemon().start(() -> {
            try (Socket upstream = new Socket("127.0.0.1", referencePort); connection) {
                InputStream fromClient = Channels.newInputStream(connection);
                OutputStream toClient = Channels.newOutputStream(connection);
                Thread up = Thread.ofPlatform().daemon().start(() -> pump(fromClient, upstream));
                upstream.getInputStream().transferTo(toClient);
                up.interrupt();
            } catch (IOException e) {
                // either side went away
            }
        });
    }

    private static void pump(InputStream from, Socket to) {
        try {
            from.transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // the connection ended
        }
    }

    @Override
    public void close() {
        super.close();
        reference.destroy();
    }
}
