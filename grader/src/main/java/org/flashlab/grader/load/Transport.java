package org.flashlab.grader.load;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * The sockets under the load generator, one per driver thread: Java NIO, which runs anywhere, or
 * Linux's epoll called directly through the FFM API ({@link EpollTransport}).
 *
 * Why two: with a new connection per request (the paper's HTTP/1.0 test) the client's own cost per
 * connection decides how hard it can push, and NIO spends about 17 system calls per connection
 * (getsockname twice, a poll and SO_ERROR in finishConnect, SO_LINGER and shutdown when closing a
 * registered channel) where ab spends 13 and the epoll transport 8. With keep-alive the two are
 * alike; both are tested against the same servers.
 *
 * Operations use NIO's SelectionKey bits so that the client code reads the same over either.
 */
abstract class Transport implements AutoCloseable {
    static final int READ = SelectionKey.OP_READ;
    static final int WRITE = SelectionKey.OP_WRITE;
    static final int CONNECT = SelectionKey.OP_CONNECT;

    /** Which transport a run uses. */
    enum Kind {
        /** epoll where it works (Linux on x86-64 or AArch64, IPv4), NIO elsewhere. */
        AUTO,
        NIO,
        EPOLL;

        static Kind parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /** Called for each connection with something to do. */
    interface Handler {
        void ready(Link link, int readyOps);
    }

    /** Opens the transport for one driver thread; it must be used and closed on that thread. */
    static Transport open(Kind kind, InetSocketAddress address) throws IOException {
        boolean epollFits = EpollTransport.available() && address.getAddress() instanceof Inet4Address;
        if (kind == Kind.EPOLL && !epollFits) {
            throw new IOException("the epoll transport needs Linux on x86-64 or AArch64 and an IPv4 address");
        }
        return kind == Kind.NIO || !epollFits ? new Nio(address) : new EpollTransport(address);
    }

    /** A connection slot, reused for each new connection of one client. */
    abstract static class Link {
        final Object owner;

        Link(Object owner) {
            this.owner = owner;
        }

        /** Opens a socket and starts connecting; true when it connected at once. */
        abstract boolean connect(boolean noDelay) throws IOException;

        /** Completes a connect that was in progress, or throws why it failed. */
        abstract void finishConnect() throws IOException;

        /** Reads into the transport's read buffer, left flipped; -1 at end of stream, 0 when nothing came. */
        abstract int read() throws IOException;

        abstract int write(ByteBuffer source) throws IOException;

        /** What to be told about next: a mix of READ, WRITE and CONNECT, or 0. */
        abstract void interest(int ops);

        abstract boolean isOpen();

        /** Closes the socket. It never throws: the connection is being abandoned anyway. */
        abstract void close();
    }

    abstract Link link(Object owner);

    /**
     * Waits up to {@code timeoutNanos} (0: only looks) and calls the handler for each ready
     * connection; returns how many were ready.
     */
    abstract int poll(long timeoutNanos, Handler handler) throws IOException;

    /** The buffer every {@link Link#read} fills: one per driver, so reading allocates nothing. */
    abstract ByteBuffer readBuffer();

    @Override
    public abstract void close() throws IOException;

    abstract String name();

    /** Java NIO: a Selector and a SocketChannel per connection. */
    static final class Nio extends Transport {
        private final InetSocketAddress address;
        private final ProtocolFamily family;
        private final Selector selector;
        private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
        private Handler handler; // the current poll's, for the one Consumer below (no lambda per poll)
        private final java.util.function.Consumer<SelectionKey> dispatch =
                key -> handler.ready((Link) key.attachment(), key.readyOps());

        Nio(InetSocketAddress address) throws IOException {
            this.address = address;
            // An IPv4 socket for an IPv4 address: a dual-stack one costs an extra setsockopt.
            this.family = address.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
            this.selector = Selector.open();
        }

        @Override
        Link link(Object owner) {
            return new NioLink(owner);
        }

        /**
         * Selector.select counts whole milliseconds (and 0 means forever): a shorter wait looks once
         * with selectNow and, when nothing is ready, parks for the rest.
         */
        @Override
        int poll(long timeoutNanos, Handler handler) throws IOException {
            this.handler = handler;
            if (timeoutNanos >= 1_000_000) {
                return selector.select(dispatch, timeoutNanos / 1_000_000);
            }
            int n = selector.selectNow(dispatch);
            if (n == 0 && timeoutNanos > 0) {
                LockSupport.parkNanos(timeoutNanos);
            }
            return n;
        }

        @Override
        ByteBuffer readBuffer() {
            return readBuffer;
        }

        @Override
        public void close() throws IOException {
            selector.close();
        }

        @Override
        String name() {
            return "nio";
        }

        private final class NioLink extends Link {
            private SocketChannel channel;
            private SelectionKey key;

            NioLink(Object owner) {
                super(owner);
            }

            @Override
            boolean connect(boolean noDelay) throws IOException {
                channel = SocketChannel.open(family);
                channel.configureBlocking(false);
                if (noDelay) {
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                boolean connected = channel.connect(address);
                key = channel.register(selector, connected ? 0 : CONNECT, this);
                return connected;
            }

            @Override
            void finishConnect() throws IOException {
                channel.finishConnect();
            }

            @Override
            int read() throws IOException {
                readBuffer.clear();
                int n = channel.read(readBuffer);
                readBuffer.flip();
                return n;
            }

            @Override
            int write(ByteBuffer source) throws IOException {
                return channel.write(source);
            }

            @Override
            void interest(int ops) {
                if (key != null && key.isValid()) {
                    key.interestOps(ops);
                }
            }

            @Override
            boolean isOpen() {
                return channel != null;
            }

            @Override
            void close() {
                if (key != null) {
                    key.cancel();
                    key = null;
                }
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException e) {
                        // Closing a socket we are abandoning: the kernel frees it either way, and no
                        // request is lost that was not already counted.
                    }
                    channel = null;
                }
            }
        }
    }
}
