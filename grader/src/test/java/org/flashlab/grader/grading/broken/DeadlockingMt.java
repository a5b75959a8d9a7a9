package org.flashlab.grader.grading.broken;

import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.flashlab.server.BlockingConnection;
import org.flashlab.server.ServerConfig;

/**
 * MT whose connections take two locks in opposite orders: alone, a connection is served; once three
 * are open at once, two of them each hold the lock the other wants, for ever (the latch only makes
 * the interleaving certain, as a busy server would make it likely).
 */
public final class DeadlockingMt extends AcceptLoop {
    private final ReentrantLock a = new ReentrantLock();
    private final ReentrantLock b = new ReentrantLock();
    private final CountDownLatch bothHoldOne = new CountDownLatch(2);
    private final AtomicInteger open = new AtomicInteger();

    public DeadlockingMt(ServerConfig config) throws java.io.IOException {
        super(config);
    }

    @Override
    protected void serve(SocketChannel connection) {
        Thread.ofPlatform().daemon().name("mt-conn").start(() -> {
            int me = open.incrementAndGet();
            try {
                if (me >= 3) {
                    ReentrantLock first = me % 2 == 0 ? a : b;
                    ReentrantLock second = first == a ? b : a;
                    first.lock();
                    bothHoldOne.countDown();
                    bothHoldOne.await();
                    second.lock();
                }
                BlockingConnection.serve(connection, handler, config);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                open.decrementAndGet();
            }
        });
    }
}
