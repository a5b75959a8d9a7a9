package org.flashlab.grader.run;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A server for the runner's tests that crashes as a student's might: it says it is ready, takes one
 * connection, prints a last word and exits with status 3. Run as a child process.
 */
public final class DyingServer {
    private DyingServer() {}

    public static void main(String[] args) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            System.out.println("Listening on http://127.0.0.1:" + listener.getLocalPort() + "/");
            System.out.flush();
            try (Socket first = listener.accept()) {
                System.out.println("segfault, say");
                System.out.flush();
            }
        }
        System.exit(3);
    }
}
