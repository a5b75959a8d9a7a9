package org.flashlab.lesson03;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Task 4's tool: opens N connections to a server and holds them, idle, until Ctrl-C. With thousands
 * of idle connections, poll(2) must scan them all on every call, and epoll(7) need not: measure a
 * few busy clients with `flashlab bench` while these sit there, once with each selector.
 *
 * <pre>  java -cp lessons/03-sped/target/classes org.flashlab.lesson03.IdleConnections 127.0.0.1 8080 5000</pre>
 *
 * The server closes idle connections after its idle timeout (15 s by default): start it with
 * {@code flashlab lesson server 03 --idle-timeout 600} for this experiment.
 */
public final class IdleConnections {
    private IdleConnections() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: IdleConnections HOST PORT COUNT");
            System.exit(2);
        }
        int count = Integer.parseInt(args[2]);
        List<Socket> held = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            held.add(new Socket(args[0], Integer.parseInt(args[1])));
        }
        System.out.println("holding " + held.size() + " idle connections; Ctrl-C to let go");
        new CountDownLatch(1).await(); // until the process is stopped
    }
}
