package org.flashlab.grader.load;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator's sockets on Linux, as the C clients (ab, wrk) drive them: socket(2) made
 * non-blocking at birth, connect(2), epoll for readiness, read(2), send(2), close(2). Called
 * through the FFM API, no JNI and no C to build. Per new connection that is 8 system calls where
 * NIO needs about 17, which is what lets a Java client keep up with ab on the paper's HTTP/1.0 test.
 *
 * Semantics follow NIO's selector so the client code does not care which transport it runs on:
 * level-triggered events, interest changes applied just before the next wait, and a connection
 * with no interest taken out of the epoll set (so a reset on an idle socket cannot spin the loop).
 *
 * Linux on x86-64 and AArch64 only: the constants below are those ABIs', and struct epoll_event is
 * packed (12 bytes) on x86-64 but not (16 bytes) on AArch64.
 */
@SuppressWarnings("restricted") // native calls are the point; the launcher passes --enable-native-access
final class EpollTransport extends Transport {
    private static final int AF_INET = 2;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_ERROR = 4;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_NODELAY = 1;
    private static final int MSG_NOSIGNAL = 0x4000; // a write to a reset socket fails, no SIGPIPE
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CTL_MOD = 3;
    private static final int EPOLLIN = 0x1;
    private static final int EPOLLOUT = 0x4;
    private static final int EPOLLERR = 0x8;
    private static final int EPOLLHUP = 0x10;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int EINPROGRESS = 115;
    private static final int MAX_EVENTS = 1024;

    private static final int EVENT_SIZE;
    private static final int DATA_OFFSET;
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SYS_SOCKET;
    private static final MethodHandle SYS_CONNECT;
    private static final MethodHandle SYS_READ;
    private static final MethodHandle SYS_SEND;
    private static final MethodHandle SYS_CLOSE;
    private static final MethodHandle SYS_EPOLL_CREATE1;
    private static final MethodHandle SYS_EPOLL_CTL;
    private static final MethodHandle SYS_EPOLL_WAIT;
    private static final MethodHandle SYS_GETSOCKOPT;
    private static final MethodHandle SYS_SETSOCKOPT;
    /** epoll_pwait2(2), Linux 5.11 and glibc 2.35: a timeout in nanoseconds. Null where missing. */
    private static final MethodHandle SYS_EPOLL_PWAIT2;
    /** prctl(2), for PR_SET_TIMERSLACK. Null where missing. */
    private static final MethodHandle SYS_PRCTL;
    private static final int PR_SET_TIMERSLACK = 29;
    private static final int EPERM = 1;
    private static final int ENOSYS = 38;
    /** False once the kernel has refused epoll_pwait2; every transport then uses epoll_wait. */
    private static volatile boolean pwait2Works;

    static {
        String arch = System.getProperty("os.arch", "");
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm = arch.equals("aarch64");
        MethodHandle[] h = new MethodHandle[10];
        if (System.getProperty("os.name", "").startsWith("Linux") && (x86 || arm)) {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                Linker.Option errno = Linker.Option.captureCallState("errno");
                h[0] = linker.downcallHandle(libc.find("socket").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), errno);
                h[1] = linker.downcallHandle(libc.find("connect").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
                h[2] = linker.downcallHandle(libc.find("read").orElseThrow(),
                        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), errno);
                // send's buffer goes as a raw address (a long on these 64-bit ABIs), so that sending
                // from the middle of a client's buffer makes no segment object per request.
                h[3] = linker.downcallHandle(libc.find("send").orElseThrow(),
                        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), errno);
                h[4] = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
                h[5] = linker.downcallHandle(libc.find("epoll_create1").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
                h[6] = linker.downcallHandle(libc.find("epoll_ctl").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), errno);
                h[7] = linker.downcallHandle(libc.find("epoll_wait").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), errno);
                h[8] = linker.downcallHandle(libc.find("getsockopt").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), errno);
                h[9] = linker.downcallHandle(libc.find("setsockopt").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
            } catch (RuntimeException e) {
                h = new MethodHandle[10]; // a libc without one of these: NIO it is
            }
        }
        SYS_SOCKET = h[0];
        SYS_CONNECT = h[1];
        SYS_READ = h[2];
        SYS_SEND = h[3];
        SYS_CLOSE = h[4];
        SYS_EPOLL_CREATE1 = h[5];
        SYS_EPOLL_CTL = h[6];
        SYS_EPOLL_WAIT = h[7];
        SYS_GETSOCKOPT = h[8];
        SYS_SETSOCKOPT = h[9];
        SYS_EPOLL_PWAIT2 = SYS_SETSOCKOPT == null ? null : optional("epoll_pwait2",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS), Linker.Option.captureCallState("errno"));
        // prctl is variadic: int prctl(int option, ...).
        pwait2Works = SYS_EPOLL_PWAIT2 != null;
        SYS_PRCTL = SYS_SETSOCKOPT == null ? null : optional("prctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(1));
        EVENT_SIZE = x86 ? 12 : 16;
        DATA_OFFSET = x86 ? 4 : 8;
    }

    /** A libc function the transport can do without: null when this libc lacks it. */
    private static MethodHandle optional(String name, FunctionDescriptor descriptor, Linker.Option option) {
        Linker linker = Linker.nativeLinker();
        return linker.defaultLookup().find(name).map(f -> linker.downcallHandle(f, descriptor, option)).orElse(null);
    }

    /**
     * Asks the kernel to wake this thread within a nanosecond of the times it asks for, instead of the
     * default 50 us timer slack (prctl(2), PR_SET_TIMERSLACK): an open loop's sends are due at
     * microsecond times. True when it took effect.
     */
    static boolean preciseTimers() {
        if (SYS_PRCTL == null) {
            return false;
        }
        try {
            return (int) SYS_PRCTL.invokeExact(PR_SET_TIMERSLACK, 1L, 0L, 0L, 0L) == 0;
        } catch (Throwable t) {
            throw new IllegalStateException("prctl(PR_SET_TIMERSLACK) failed", t);
        }
    }

    /** True on Linux x86-64 and AArch64 with the libc calls found. */
    static boolean available() {
        return SYS_SETSOCKOPT != null;
    }

    private final Arena arena = Arena.ofConfined(); // this driver thread's alone
    private final MemorySegment callState = arena.allocate(CALL_STATE);
    private final MemorySegment sockaddr = arena.allocate(16);
    private final MemorySegment ctlEvent = arena.allocate(16);
    private final MemorySegment events = arena.allocate((long) EVENT_SIZE * MAX_EVENTS);
    private final MemorySegment option = arena.allocate(JAVA_INT);
    private final MemorySegment optionLength = arena.allocate(JAVA_INT);
    private final MemorySegment readSegment = arena.allocate(256 * 1024);
    private final MemorySegment timeout = arena.allocate(16); // struct timespec for epoll_pwait2
    private final ByteBuffer readBuffer = readSegment.asByteBuffer();
    private final List<EpollLink> links = new ArrayList<>();
    private final List<EpollLink> changed = new ArrayList<>();
    private final int epfd;

    EpollTransport(InetSocketAddress address) throws IOException {
        byte[] ip = address.getAddress().getAddress();
        sockaddr.set(JAVA_SHORT, 0, (short) AF_INET); // sin_family: host byte order
        sockaddr.set(JAVA_BYTE, 2, (byte) (address.getPort() >> 8)); // sin_port: network byte order
        sockaddr.set(JAVA_BYTE, 3, (byte) address.getPort());
        for (int i = 0; i < 4; i++) {
            sockaddr.set(JAVA_BYTE, 4 + i, ip[i]); // sin_addr: already in network order
        }
        try {
            epfd = (int) SYS_EPOLL_CREATE1.invokeExact(callState, 0x80000 /* EPOLL_CLOEXEC */);
        } catch (Throwable t) {
            arena.close();
            throw native_("epoll_create1", t);
        }
        if (epfd < 0) {
            arena.close();
            throw failure("epoll_create1", errno());
        }
    }

    private int errno() {
        return (int) ERRNO.get(callState, 0L);
    }

    /** The errors a load generator meets, by name; strerror(3) is not safe across driver threads. */
    private static String describe(int errno) {
        return switch (errno) {
            case 4 -> "Interrupted system call (EINTR)";
            case 9 -> "Bad file descriptor (EBADF)";
            case 12 -> "Cannot allocate memory (ENOMEM)";
            case 23 -> "Too many open files in system (ENFILE)";
            case 24 -> "Too many open files (EMFILE: raise ulimit -n)";
            case 32 -> "Broken pipe (EPIPE)";
            case 99 -> "Cannot assign requested address (EADDRNOTAVAIL: out of local ports?)";
            case 101 -> "Network is unreachable (ENETUNREACH)";
            case 104 -> "Connection reset by peer (ECONNRESET)";
            case 110 -> "Connection timed out (ETIMEDOUT)";
            case 111 -> "Connection refused (ECONNREFUSED)";
            case 113 -> "No route to host (EHOSTUNREACH)";
            default -> "errno " + errno;
        };
    }

    private static IOException failure(String call, int errno) {
        return new IOException(call + ": " + describe(errno));
    }

    private static IOException native_(String call, Throwable t) {
        return t instanceof IOException io ? io : new IOException("native call " + call + " failed", t);
    }

    @Override
    Link link(Object owner) {
        EpollLink l = new EpollLink(owner, links.size());
        links.add(l);
        return l;
    }

    /**
     * Waits up to {@code timeoutNanos} with epoll_pwait2, to the microsecond. Without it, epoll_wait
     * counts whole milliseconds: a shorter wait polls once and then parks for the rest.
     */
    @Override
    int poll(long timeoutNanos, Handler handler) throws IOException {
        for (EpollLink l : changed) {
            l.apply();
        }
        changed.clear();
        int n;
        try {
            if (pwait2Works) {
                timeout.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
                timeout.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
                n = (int) SYS_EPOLL_PWAIT2.invokeExact(callState, epfd, events, MAX_EVENTS, timeout, MemorySegment.NULL);
                if (n < 0 && (errno() == ENOSYS || errno() == EPERM)) {
                    // glibc has the wrapper, but the kernel (before 5.11) or a seccomp filter refuses
                    // the call: epoll_wait from now on.
                    pwait2Works = false;
                    return poll(timeoutNanos, handler);
                }
            } else {
                n = (int) SYS_EPOLL_WAIT.invokeExact(callState, epfd, events, MAX_EVENTS,
                        (int) Math.min(Integer.MAX_VALUE, timeoutNanos / 1_000_000));
                if (n == 0 && timeoutNanos > 0 && timeoutNanos < 1_000_000) {
                    LockSupport.parkNanos(timeoutNanos);
                }
            }
        } catch (Throwable t) {
            throw native_("epoll_wait", t);
        }
        if (n < 0) {
            int e = errno();
            if (e == EINTR) {
                return 0;
            }
            throw failure("epoll_wait", e);
        }
        for (int i = 0; i < n; i++) {
            long base = (long) i * EVENT_SIZE;
            int ev = events.get(JAVA_INT_UNALIGNED, base);
            EpollLink l = links.get((int) events.get(JAVA_LONG_UNALIGNED, base + DATA_OFFSET));
            if (l.fd < 0) {
                continue; // closed earlier in this batch
            }
            l.lastEvents = ev;
            boolean trouble = (ev & (EPOLLERR | EPOLLHUP)) != 0;
            int ready = 0;
            if ((ev & EPOLLIN) != 0 || trouble) {
                ready |= l.registeredOps & READ;
            }
            if ((ev & EPOLLOUT) != 0 || trouble) {
                ready |= l.registeredOps & (WRITE | CONNECT);
            }
            if (ready != 0) {
                handler.ready(l, ready);
            }
        }
        return n;
    }

    @Override
    ByteBuffer readBuffer() {
        return readBuffer;
    }

    @Override
    public void close() throws IOException {
        for (EpollLink l : links) {
            l.close();
        }
        try {
            int ignored = (int) SYS_CLOSE.invokeExact(epfd);
        } catch (Throwable t) {
            throw native_("close", t);
        } finally {
            arena.close();
        }
    }

    @Override
    String name() {
        return "epoll";
    }

    private static int mask(int ops) {
        return ((ops & READ) != 0 ? EPOLLIN : 0) | ((ops & (WRITE | CONNECT)) != 0 ? EPOLLOUT : 0);
    }

    private final class EpollLink extends Link {
        private final int index;   // the epoll event's data: which link it is
        int fd = -1;
        int wantedOps;             // what the client asked for
        int registeredOps;         // what the epoll set holds (0: not in the set)
        int lastEvents;
        private boolean queued;
        private ByteBuffer written;   // the buffer the client writes from (direct, alive as long as the client)
        private long writtenAddress;  // and where it starts in memory

        EpollLink(Object owner, int index) {
            super(owner);
            this.index = index;
        }

        @Override
        boolean connect(boolean noDelay) throws IOException {
            int s;
            int rc;
            try {
                s = (int) SYS_SOCKET.invokeExact(callState, AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
                if (s < 0) {
                    throw failure("socket", errno());
                }
                fd = s;
                registeredOps = 0;
                lastEvents = 0;
                if (noDelay) {
                    option.set(JAVA_INT, 0, 1);
                    int ignored = (int) SYS_SETSOCKOPT.invokeExact(fd, IPPROTO_TCP, TCP_NODELAY, option, 4);
                }
                rc = (int) SYS_CONNECT.invokeExact(callState, fd, sockaddr, 16);
            } catch (Throwable t) {
                close();
                throw native_("connect", t);
            }
            if (rc == 0) {
                wantedOps = 0;
                return true;
            }
            int e = errno();
            if (e != EINPROGRESS) {
                close();
                throw failure("connect", e);
            }
            interest(CONNECT);
            apply(); // now: the connect may finish before the next poll
            return false;
        }

        @Override
        void finishConnect() throws IOException {
            if ((lastEvents & (EPOLLERR | EPOLLHUP)) == 0) {
                return; // writable without an error: connected
            }
            optionLength.set(JAVA_INT, 0, 4);
            try {
                int rc = (int) SYS_GETSOCKOPT.invokeExact(callState, fd, SOL_SOCKET, SO_ERROR, option, optionLength);
                int error = rc == 0 ? option.get(JAVA_INT, 0) : errno();
                throw failure("connect", error);
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw native_("getsockopt", t);
            }
        }

        @Override
        int read() throws IOException {
            readBuffer.clear();
            long n;
            try {
                n = (long) SYS_READ.invokeExact(callState, fd, readSegment, (long) readBuffer.capacity());
            } catch (Throwable t) {
                throw native_("read", t);
            }
            if (n > 0) {
                readBuffer.limit((int) n);
                return (int) n;
            }
            readBuffer.limit(0);
            if (n == 0) {
                return -1;
            }
            int e = errno();
            if (e == EAGAIN || e == EINTR) {
                return 0;
            }
            throw failure("read", e);
        }

        @Override
        int write(ByteBuffer source) throws IOException {
            if (source != written) { // each client writes from its one buffer: find its address once
                written = source;
                writtenAddress = MemorySegment.ofBuffer(source.duplicate().clear()).address(); // source is direct
            }
            long n;
            try {
                n = (long) SYS_SEND.invokeExact(callState, fd, writtenAddress + source.position(),
                        (long) source.remaining(), MSG_NOSIGNAL);
            } catch (Throwable t) {
                throw native_("send", t);
            }
            if (n >= 0) {
                source.position(source.position() + (int) n);
                return (int) n;
            }
            int e = errno();
            if (e == EAGAIN || e == EINTR) {
                return 0;
            }
            throw failure("send", e);
        }

        @Override
        void interest(int ops) {
            wantedOps = ops;
            if (!queued && fd >= 0 && ops != registeredOps) {
                queued = true;
                changed.add(this);
            }
        }

        /** Brings the epoll set in line with what the client wants. */
        void apply() throws IOException {
            queued = false;
            if (fd < 0 || mask(wantedOps) == mask(registeredOps)) {
                registeredOps = fd < 0 ? 0 : wantedOps;
                return;
            }
            int op = registeredOps == 0 ? EPOLL_CTL_ADD : wantedOps == 0 ? EPOLL_CTL_DEL : EPOLL_CTL_MOD;
            ctlEvent.set(JAVA_INT_UNALIGNED, 0, mask(wantedOps));
            ctlEvent.set(JAVA_LONG_UNALIGNED, DATA_OFFSET, index);
            int rc;
            try {
                rc = (int) SYS_EPOLL_CTL.invokeExact(callState, epfd, op, fd, ctlEvent);
            } catch (Throwable t) {
                throw native_("epoll_ctl", t);
            }
            if (rc < 0) {
                throw failure("epoll_ctl", errno());
            }
            registeredOps = wantedOps;
        }

        @Override
        boolean isOpen() {
            return fd >= 0;
        }

        @Override
        void close() {
            if (fd < 0) {
                return;
            }
            try {
                // close(2) also takes the socket out of the epoll set. Its errors (EINTR, EIO) leave
                // nothing to retry on a socket: Linux has released the descriptor either way.
                int ignored = (int) SYS_CLOSE.invokeExact(fd);
            } catch (Throwable t) {
                throw new IllegalStateException("native close failed", t);
            } finally {
                fd = -1;
                registeredOps = 0;
                wantedOps = 0;
            }
        }
    }
}
