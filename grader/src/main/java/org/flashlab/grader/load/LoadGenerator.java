package org.flashlab.grader.load;

/*
 * The load generator: N connections driven by a few selector threads, in a closed loop (each
 * connection sends its next request when the last answer arrives: finds peak throughput) or an open
 * loop (requests are due at a fixed rate whether or not answers came: finds latency under load).
 *
 * Map:
 *   run() takes the spec's RequestMix (paths, their correct bodies, a trace order) or, for a single
 *   URL, learns the correct body with one plain GET; it starts `threads` Driver threads, waits, merges.
 *   each Driver owns its connections, its Transport (Java NIO, or Linux epoll through FFM: see
 *   Transport), a histogram and counters: nothing is shared between drivers until the run ends, so
 *   the hot path takes no lock and allocates nothing.
 *   each Client is one connection: connecting -> (write requests) -> reading responses -> again; or,
 *   when the response closes the connection, wait for the server's FIN, then connect again.
 *
 * Latency is recorded from the request's intended send time. In a closed loop that is when it was
 * sent; in an open loop it is its slot in the schedule, so a request that could not even be sent
 * because the server stalled is charged for the whole stall, as wrk2 does (Gil Tene's coordinated
 * omission). A request outstanding past the timeout counts one timeout, and its connection closes.
 *
 * The open loop's schedule: slot g is due at start + g / rate, and driver t sends slots t, t+T,
 * t+2T... Each driver waits for its next slot to the microsecond (epoll_pwait2, or a park for the
 * sub-millisecond rest, with the thread's timer slack at 1 ns) and sends it on whichever of its
 * connections is idle: unlike one schedule per connection (wrk2), one slow answer does not hold back
 * the slots behind it while other connections sit idle. The measured requests are the slots due in
 * the measured window, exactly floor(rate x duration) of them, counted whenever they complete: so the
 * achieved rate can never exceed the target, and a backlog left from the warm-up is not counted as a
 * burst of throughput. Every measured slot is accounted for exactly once: answered right, or an
 * error of some kind. A slot still unsent a timeout after it was due is given up as a timeout (so a
 * dead server cannot hold the run open); an error is charged to the slot of the request it cost; and
 * the driver stops a timeout after the window, charging whatever is still unanswered as timeouts.
 */

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import org.HdrHistogram.Histogram;

public final class LoadGenerator {
    /** Seeds each driver's emulated round trips: the same distances in every run. */
    private static final long ROUND_TRIP_SEED = 1999;
    private static final long HIGHEST_MICROS = 3_600_000_000L; // an hour: nothing real is slower
    /**
     * An open loop whose slots are closer than this never sleeps: it polls without waiting. Waking a
     * sleeping thread costs more than a request here (measured on these 2-core VMs: 10k req/s took
     * half a core in wake-ups alone, and each woke 20 to 30 us late). The time spent polling with
     * nothing to do is left out of the generator's CPU figure, which should say how busy it is.
     */
    private static final long BUSY_BELOW_NANOS = 500_000;

    private final LoadSpec spec;
    private final String host;
    private byte[][] prepared; // one prepared request per path of the mix: nothing is built per request
    private List<Expected> expected;
    private int[] order;
    private InetSocketAddress address; // resolved once: a lookup per connection would dominate the paper's HTTP/1.0 test
    private final Transport.Kind transport;
    private volatile String transportUsed = "none";

    public LoadGenerator(LoadSpec spec) {
        this(spec, "auto");
    }

    /**
     * @param transport "nio", "epoll" (Linux) or "auto" (epoll where it works): see {@link Transport}
     */
    public LoadGenerator(LoadSpec spec, String transport) {
        this.spec = spec;
        this.host = spec.target().getHost() + (spec.target().getPort() < 0 ? "" : ":" + spec.target().getPort());
        try {
            this.transport = Transport.Kind.parse(transport);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown transport '" + transport + "': use auto, nio or epoll");
        }
    }

    /** The transport the last run used: "nio" or "epoll". */
    public String transportUsed() {
        return transportUsed;
    }

    private byte[] request(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                + (spec.keepAlive() ? "" : "Connection: close\r\n") + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Runs the load and returns what it measured. */
    public LoadResult run() throws IOException, InterruptedException {
        address = new InetSocketAddress(spec.target().getHost(), spec.port());
        if (address.isUnresolved()) {
            throw new IOException("cannot resolve " + spec.target().getHost());
        }
        try (Transport probe = Transport.open(transport, address)) {
            transportUsed = probe.name(); // fail here, not in a driver thread, when epoll cannot be had
        }
        RequestMix mix = spec.mix() != null ? spec.mix() : RequestMix.single(spec.path(), learnExpected());
        prepared = mix.paths().stream().map(this::request).toArray(byte[][]::new);
        expected = mix.expected();
        order = mix.order();
        long cpuBefore = processCpuNanos();
        long waitBefore = RunQueue.waitNanos(ProcessHandle.current());
        long start = System.nanoTime();
        long measureFrom = start + spec.warmup().toNanos();
        long end = measureFrom + spec.duration().toNanos();
        Schedule schedule = spec.rate() > 0 ? Schedule.of(spec.rate(), spec.warmup().toNanos(), spec.duration().toNanos()) : null;
        List<Driver> drivers = new ArrayList<>();
        for (int t = 0; t < spec.threads(); t++) {
            int mine = spec.connections() / spec.threads() + (t < spec.connections() % spec.threads() ? 1 : 0);
            // Each driver walks the order from its own offset: together they spread over the trace.
            drivers.add(new Driver(t, mine, (int) ((long) order.length * t / spec.threads()), start, measureFrom, end, schedule));
        }
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < drivers.size(); t++) {
            threads.add(Thread.ofPlatform().name("load-" + t).start(drivers.get(t)));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        // An open loop measured exactly its window's slots, however long their answers took to come.
        double seconds = schedule != null ? spec.duration().toNanos() / 1e9 : (System.nanoTime() - measureFrom) / 1e9;
        long idle = drivers.stream().mapToLong(d -> d.idlePolling).sum();
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = Math.max(0, processCpuNanos() - cpuBefore - idle) / 1e9 / elapsed;
        double waitedMsPerSecond = waitBefore < 0 ? -1
                : (RunQueue.waitNanos(ProcessHandle.current()) - waitBefore) / 1e6 / elapsed;
        Histogram latency = new Histogram(HIGHEST_MICROS, 3);
        Histogram sendLag = new Histogram(HIGHEST_MICROS, 3);
        long requests = 0, bytes = 0, connections = 0, sla = 0, waited = 0;
        long connect = 0, reset = 0, timeout = 0, status = 0, wrong = 0, notClosed = 0;
        long[] perSecond = new long[(int) Math.ceil(spec.duration().toMillis() / 1000.0)];
        for (Driver d : drivers) {
            if (d.failure != null) {
                throw new IOException("load driver failed", d.failure);
            }
            latency.add(d.latency);
            sendLag.add(d.sendLag);
            waited += d.waitedForConnection;
            requests += d.requests;
            bytes += d.bytes;
            connections += d.connectionsOpened;
            sla += d.slaViolations;
            connect += d.connectErrors;
            reset += d.resetErrors;
            timeout += d.timeoutErrors;
            status += d.statusErrors;
            wrong += d.wrongBytes;
            notClosed += d.notClosed;
            for (int i = 0; i < perSecond.length; i++) {
                perSecond[i] += d.perSecond[i];
            }
        }
        return new LoadResult(requests, bytes, seconds, connections,
                new LoadResult.Errors(connect, reset, timeout, status, wrong, notClosed), latency, perSecond, spec.rate(), sla, cpu,
                schedule == null ? null : new LoadResult.ScheduleKept(sendLag, waited, waitedMsPerSecond));
    }

    /**
     * The open loop's slots: slot g is due {@code g / rate} seconds after the start. The measured
     * slots are the {@code floor(rate x duration)} that follow the warm-up, so they can never number
     * more than the target rate allows.
     */
    record Schedule(double nanosPerSlot, long firstMeasured, long end) {
        static Schedule of(double rate, long warmupNanos, long durationNanos) {
            long first = (long) Math.ceil(warmupNanos * rate / 1e9);
            return new Schedule(1e9 / rate, first, first + (long) Math.floor(durationNanos * rate / 1e9));
        }

        /** When slot g is due, as an offset from the start. */
        long offset(long slot) {
            return (long) (slot * nanosPerSlot);
        }

        boolean measured(long slot) {
            return slot >= firstMeasured && slot < end;
        }
    }

    /** One plain GET before the run: its body is what every response must equal. */
    private Expected learnExpected() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) spec.timeout().toMillis());
            socket.setSoTimeout((int) Math.max(1000, spec.timeout().toMillis()));
            OutputStream out = socket.getOutputStream();
            out.write(request(spec.path()));
            InputStream in = socket.getInputStream();
            ResponseReader reader = new ResponseReader();
            byte[] chunk = new byte[16 * 1024];
            boolean done = false;
            while (!done) {
                int n = in.read(chunk);
                if (n < 0) {
                    throw new IOException("the server closed before answering " + spec.target());
                }
                done = reader.read(ByteBuffer.wrap(chunk, 0, n));
            }
            if (reader.status() / 100 != 2) {
                throw new IOException(spec.target() + " answered " + reader.status()
                        + "; a load run needs a 2xx answer to compare every response against");
            }
            return new Expected(reader.bodyBytes(), reader.crc());
        } catch (ResponseReader.MalformedResponse e) {
            throw new IOException("malformed response from " + spec.target() + ": " + e.getMessage());
        }
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** One selector thread and the connections it owns. Fields are this thread's alone until join(). */
    private final class Driver implements Runnable {
        private final int count;
        private int cursor; // next entry of the request order
        private final long start;
        private final long measureFrom;
        private final long end;
        private final Schedule schedule; // open loop; null in a closed loop
        private long slot;               // open loop: the next slot this driver sends
        private long waitedSlot = -1;    // the last slot counted in waitedForConnection
        private long wakeLate = 20_000;  // open loop: how late a timed wait returns, on average (ns)
        private final ArrayDeque<Client> idle = new ArrayDeque<>(); // open loop: may take a request now
        // Emulated round trips: connections waiting out their delay, soonest first, and the seeded
        // source of each connection's own delay (one per driver, so a run is the same every time).
        private final PriorityQueue<Client> delayed = new PriorityQueue<>(Comparator.comparingLong(c -> c.sendAt));
        private final SplittableRandom distances;
        final Histogram latency = new Histogram(HIGHEST_MICROS, 3);
        final Histogram sendLag = new Histogram(HIGHEST_MICROS, 3); // measured slots: sent how late
        long waitedForConnection; // measured slots that were due while every connection was busy
        long idlePolling;         // nanoseconds spent polling without sleeping, and finding nothing
        final long[] perSecond = new long[(int) Math.ceil(spec.duration().toMillis() / 1000.0)];
        long requests, bytes, connectionsOpened, slaViolations;
        long connectErrors, resetErrors, timeoutErrors, statusErrors, wrongBytes, notClosed;
        Throwable failure;
        private Transport transport;
        private ByteBuffer readBuffer;

        Driver(int index, int count, int cursor, long start, long measureFrom, long end, Schedule schedule) {
            this.count = count;
            this.cursor = cursor;
            this.start = start;
            this.measureFrom = measureFrom;
            this.end = end;
            this.schedule = schedule;
            this.slot = index; // driver t sends slots t, t+T, t+2T...
            this.distances = new SplittableRandom(ROUND_TRIP_SEED + index);
        }

        @Override
        public void run() {
            List<Client> clients = new ArrayList<>(count);
            if (schedule != null) {
                EpollTransport.preciseTimers(); // where it cannot, the waits are as precise as the OS makes them
            }
            try (Transport t = Transport.open(LoadGenerator.this.transport, address)) {
                transport = t;
                readBuffer = t.readBuffer();
                try {
                    loop(clients);
                } finally {
                    for (Client c : clients) {
                        c.close();
                    }
                }
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
        }

        private void loop(List<Client> clients) throws IOException {
            for (int i = 0; i < count; i++) {
                Client c = new Client();
                clients.add(c);
                if (schedule != null && !spec.keepAlive()) {
                    c.offerIdle(); // a new connection per request: each slot opens its own
                } else {
                    c.connect(start);
                }
            }
            long scanEvery = 10_000_000; // timeouts and reconnects; an open loop's sends have their own timer
            long nextScan = start;
            long drainUntil = end + spec.timeout().toNanos();
            while (true) {
                long now = System.nanoTime();
                long turnStarted = now;
                long slotBefore = slot;
                long wait;
                if (schedule == null) {
                    if (now - end >= 0) {
                        break;
                    }
                    wait = Math.min(end - now, scanEvery);
                    if (!delayed.isEmpty()) {
                        wait = Math.max(0, Math.min(wait, delayed.peek().sendAt - now));
                    }
                } else {
                    long next = sendDueSlots(now);
                    if (now - drainUntil >= 0) {
                        giveUp(clients); // whatever is still unanswered timed out
                        break;
                    }
                    if (slot >= schedule.end() && nothingOutstanding(clients)) {
                        break; // every measured slot sent, and answered
                    }
                    // Answers are waited for as the closed loop (and wrk) waits for them, asleep: a
                    // generator that spun for them would read its open loop faster than its closed one.
                    wait = Math.max(0, Math.min(next - now, nextScan - now));
                }
                long wakeAt = now + wait;
                int ready = transport.poll(wait, (link, ops) -> ((Client) link.owner).ready(ops));
                long after = System.nanoTime();
                if (wait == 0 && ready == 0 && slot == slotBefore) {
                    // A turn that polled without sleeping, found nothing and sent nothing: waiting,
                    // not working. (Wall time: the generator is meant to have its core to itself.)
                    idlePolling += after - turnStarted;
                }
                now = after;
                while (!delayed.isEmpty() && now - delayed.peek().sendAt >= 0) {
                    delayed.poll().sendAfterRoundTrip(now);
                }
                if (schedule != null && wait > 0 && now - wakeAt >= 0) {
                    wakeLate += (now - wakeAt - wakeLate) / 8; // a timed-out wait: how late did it return?
                }
                if (now - nextScan >= 0) {
                    nextScan = now + scanEvery;
                    for (Client c : clients) {
                        c.tick(now);
                    }
                }
            }
        }

        /**
         * Open loop: sends every slot that is due on an idle connection, and returns when to look
         * again: the next slot's time, or a while from now when every connection is busy (an answer
         * wakes the loop sooner).
         */
        private long sendDueSlots(long now) throws IOException {
            while (slot < schedule.end()) {
                long due = start + schedule.offset(slot);
                if (due - now > 0) {
                    if (idle.isEmpty()) {
                        return now + 10_000_000;
                    }
                    // A sleeping thread (and an idle core) wakes tens of microseconds after the time it
                    // asked for, and that delay would be counted as the server's. So sleep until a little
                    // more than the usual delay before the slot, then poll without sleeping (answers
                    // are still read as they come) until it is due.
                    long early = Math.min(200_000, 2 * Math.max(0, wakeLate) + 2_000);
                    if (schedule.nanosPerSlot() * spec.threads() < BUSY_BELOW_NANOS) {
                        return now; // slots this close: never sleep, see BUSY_BELOW_NANOS
                    }
                    return due - now > early ? due - early : now;
                }
                if (now - due > spec.timeout().toNanos()) {
                    if (schedule.measured(slot)) {
                        timeoutErrors++; // never sent: every connection stayed busy or broken for a whole timeout
                    }
                    slot += spec.threads();
                    continue;
                }
                Client c = takeIdle(now);
                if (c == null) {
                    if (slot != waitedSlot && schedule.measured(slot)) {
                        waitedForConnection++;
                    }
                    waitedSlot = slot;
                    return now + 10_000_000;
                }
                c.sendSlot(slot, due);
                slot += spec.threads();
            }
            return now + 10_000_000;
        }

        private Client takeIdle(long now) {
            Client c;
            while ((c = idle.pollFirst()) != null) {
                c.queued = false;
                if (c.canTake(now)) {
                    return c;
                }
            }
            return null;
        }

        /** The drain ran out: every measured request still unanswered, or not yet sent, timed out. */
        private void giveUp(List<Client> clients) {
            for (Client c : clients) {
                for (int i = 0; i < c.outstanding; i++) {
                    if (schedule.measured(c.sentSlot[(c.oldest + i) % c.sentSlot.length])) {
                        timeoutErrors++;
                    }
                }
                if (c.pending && schedule.measured(c.pendingSlot)) {
                    timeoutErrors++;
                }
                c.outstanding = 0;
                c.pending = false;
            }
        }

        private static boolean nothingOutstanding(List<Client> clients) {
            for (Client c : clients) {
                if (c.outstanding > 0 || c.pending) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Records one correct response that completed at {@code now}: in a closed loop when it
         * completed in the measured window, in an open loop when its slot is one of the measured ones.
         */
        private void record(long intended, long slotOf, long now, long bodyLength) {
            if (schedule != null ? !schedule.measured(slotOf) : now - measureFrom < 0 || now - end >= 0) {
                return; // warm-up, or after the end
            }
            long micros = Math.max(0, (now - intended) / 1000);
            latency.recordValue(Math.min(micros, HIGHEST_MICROS));
            if (micros > spec.sla().toNanos() / 1000) {
                slaViolations++;
            }
            requests++;
            bytes += bodyLength;
            int second = (int) (((schedule != null ? intended : now) - measureFrom) / 1_000_000_000L);
            if (second >= 0 && second < perSecond.length) {
                perSecond[second]++;
            }
        }

        /** Whether an error that concerns no particular request (a reconnect that failed) counts: in the window. */
        private boolean measuring(long now) {
            return now - measureFrom >= 0 && now - end < 0;
        }

        /**
         * Whether an error that cost the request of {@code slotOf} counts: in an open loop when the slot
         * is a measured one, so that each is accounted for once; in a closed loop when it happened in
         * the window.
         */
        private boolean counts(long slotOf, long now) {
            return schedule != null ? slotOf >= 0 && schedule.measured(slotOf) : measuring(now);
        }

        /** One connection. */
        private final class Client {
            private final ByteBuffer out; // direct: the epoll transport hands its address to send(2)
            private final ResponseReader reader = new ResponseReader();
            private final long[] sentAt = new long[spec.pipeline()]; // intended times, oldest first
            private final long[] sentSlot = new long[spec.pipeline()]; // open loop: each one's slot
            private final long[] sentOut = new long[spec.pipeline()]; // when each really went out: timeouts run from it
            private long answeredSlot = -1; // the slot of the last answer, for a server that then does not close
            private final int[] sentWhat = new int[spec.pipeline()]; // which path each asked for
            private final Transport.Link link = transport.link(this);
            private int outstanding;
            private int oldest;
            boolean queued;            // open loop: in the driver's idle queue
            boolean pending;           // open loop, a connection per request: a slot waits for the connect
            private long pendingSlot;
            private long pendingDue;
            private long retryAt;      // after a failed connect
            private long connectStarted; // a new connection per request: latency includes the connect
            private boolean connected;
            private boolean awaitingEof; // answered, and the server said it closes: wait for its FIN, as ab does
            private final long roundTrip = spec.roundTrip().isZero() ? 0
                    : (long) (spec.roundTrip().toNanos() * (0.5 + distances.nextDouble())); // this client's distance
            private long sendAt;          // emulated round trip: when the next request may go out
            private boolean inFlight;     // emulated round trip: the next request is on its way to the server
            private long eofDeadline;

            Client() {
                int longest = 0;
                for (byte[] r : prepared) {
                    longest = Math.max(longest, r.length);
                }
                out = ByteBuffer.allocateDirect(longest * spec.pipeline());
                out.flip();
            }

            /** Open loop: whether this connection can send a slot's request now. */
            boolean canTake(long now) {
                return spec.keepAlive()
                        ? connected && link.isOpen() && !awaitingEof && outstanding < spec.pipeline()
                        : !link.isOpen() && !pending && now - retryAt >= 0;
            }

            /**
             * Open loop: joins the driver's idle connections, once. The most recently idle goes first
             * (a stack, as a client's connection pool reuses its warm connections): at low load one or
             * two connections carry every request, as they would with fewer connections, instead of
             * each request waking a connection the server set aside long ago.
             */
            void offerIdle() {
                if (!queued) {
                    queued = true;
                    idle.addFirst(this);
                }
            }

            /** Open loop: sends slot {@code g}'s request, due at {@code due}; with a new connection, connects first. */
            void sendSlot(long g, long due) throws IOException {
                long now = System.nanoTime();
                if (schedule.measured(g)) {
                    sendLag.recordValue(Math.min(Math.max(0, (now - due) / 1000), HIGHEST_MICROS));
                }
                if (spec.keepAlive()) {
                    out.compact();
                    enqueue(due, g);
                    out.flip();
                    flush();
                    if (canTake(now)) {
                        offerIdle(); // pipelining: room for more
                    }
                } else {
                    pending = true;
                    pendingSlot = g;
                    pendingDue = due;
                    connect(now);
                }
            }

            /** Puts one request into {@code out} (compacted) and notes what and when it was. */
            private void enqueue(long intended, long g) {
                int what = order[cursor];
                cursor = cursor + 1 == order.length ? 0 : cursor + 1;
                out.put(prepared[what]);
                int at = (oldest + outstanding) % sentAt.length;
                sentAt[at] = intended;
                sentOut[at] = System.nanoTime();
                sentSlot[at] = g;
                sentWhat[at] = what;
                outstanding++;
            }

            /** After a connection ended: a closed loop (or keep-alive) connects again; a new-connection open loop waits for a slot. */
            private void reopen(long now) {
                if (schedule != null && !spec.keepAlive()) {
                    offerIdle();
                } else {
                    connect(now);
                }
            }

            void connect(long now) {
                connectStarted = now;
                try {
                    // Pipelined requests must not wait for an ACK (Nagle). A lone request per
                    // connection goes out at once anyway, so skip the system call there.
                    connected = link.connect(spec.keepAlive());
                    if (measuring(now)) {
                        connectionsOpened++;
                    }
                    if (connected) {
                        sendIfDue(now);
                    }
                } catch (IOException e) {
                    failConnect(now);
                }
            }

            private void failConnect(long now) {
                if (pending ? counts(pendingSlot, now) : measuring(now)) {
                    connectErrors++;
                }
                pending = false; // its slot's request is lost, counted above as a connect error
                closeLink();
                retryAt = now + 10_000_000; // do not spin on a refusing server
            }

            void ready(int ops) {
                long now = System.nanoTime();
                try {
                    if ((ops & Transport.CONNECT) != 0) {
                        link.finishConnect();
                        connected = true;
                        link.interest(0);
                        sendIfDue(now);
                        return;
                    }
                    if ((ops & Transport.WRITE) != 0) {
                        flush();
                    }
                    if ((ops & Transport.READ) != 0 && link.isOpen()) {
                        readResponses(now);
                    }
                } catch (IOException e) {
                    if (!connected) {
                        failConnect(now);
                    } else {
                        failOutstanding(now, false);
                    }
                }
            }

            /**
             * Sends what is due. In a closed loop, enough to keep `pipeline` outstanding. In an open
             * loop the driver's schedule decides: a keep-alive connection offers itself as idle, and a
             * new connection sends the slot it was opened for.
             */
            private void sendIfDue(long now) throws IOException {
                if (!connected || !link.isOpen() || awaitingEof) {
                    return;
                }
                if (schedule != null) {
                    if (spec.keepAlive()) {
                        if (canTake(now)) {
                            offerIdle();
                        }
                    } else if (pending) {
                        pending = false;
                        out.compact();
                        enqueue(pendingDue, pendingSlot);
                        out.flip();
                        flush();
                    }
                    return;
                }
                int room = spec.pipeline() - outstanding;
                if (!spec.keepAlive() && (outstanding > 0 || out.hasRemaining())) {
                    return; // one request per connection
                }
                if (roundTrip > 0) {
                    if (outstanding == 0 && !inFlight) {
                        inFlight = true; // the request travels for a round trip before the server sees it
                        sendAt = now + roundTrip;
                        delayed.add(this);
                    }
                    return;
                }
                out.compact();
                while (room > 0) {
                    enqueue(spec.keepAlive() ? now : connectStarted, -1);
                    room--;
                    if (!spec.keepAlive()) {
                        break;
                    }
                }
                out.flip();
                flush();
            }

            /** Emulated round trip: the delay is over, so the request reaches the server now. */
            void sendAfterRoundTrip(long now) {
                inFlight = false;
                if (!connected || !link.isOpen() || awaitingEof || outstanding > 0) {
                    return; // the connection broke meanwhile: its reconnect schedules the next request
                }
                try {
                    out.compact();
                    enqueue(now, -1);
                    out.flip();
                    flush();
                } catch (IOException e) {
                    failOutstanding(now, false);
                }
            }

            private void flush() throws IOException {
                while (out.hasRemaining()) {
                    if (link.write(out) == 0) {
                        link.interest(Transport.READ | Transport.WRITE);
                        return;
                    }
                }
                link.interest(outstanding > 0 || awaitingEof ? Transport.READ : 0);
            }

            private void readResponses(long now) throws IOException {
                int n = link.read();
                if (n < 0 && awaitingEof) {
                    closeLink(); // the server's close, as announced: connect again
                    reopen(now);
                    return;
                }
                if (n < 0) {
                    failOutstanding(now, false); // closed with answers still owed
                    return;
                }
                if (awaitingEof) {
                    return; // bytes after the last answer on a closing connection are not ours to count
                }
                while (readBuffer.hasRemaining()) {
                    boolean done;
                    try {
                        done = reader.read(readBuffer);
                    } catch (ResponseReader.MalformedResponse e) {
                        if (counts(sentSlot[oldest], now)) {
                            statusErrors++;
                        }
                        failOutstanding(now, true);
                        return;
                    }
                    if (!done) {
                        break;
                    }
                    if (complete(now)) {
                        return; // the response ended the connection; bytes after it are not ours
                    }
                }
                sendIfDue(now);
            }

            /** Accounts for one response; true when it ended the connection. */
            private boolean complete(long now) throws IOException {
                if (outstanding == 0) {
                    if (measuring(now)) {
                        statusErrors++; // a response nobody asked for: the server is confused
                    }
                    throw new IOException("a response nobody asked for");
                }
                long intended = sentAt[oldest];
                long slotOf = sentSlot[oldest];
                Expected expected = LoadGenerator.this.expected.get(sentWhat[oldest]);
                oldest = (oldest + 1) % sentAt.length;
                outstanding--;
                answeredSlot = slotOf;
                boolean ok = reader.status() / 100 == 2;
                if (!ok) {
                    if (counts(slotOf, now)) {
                        statusErrors++;
                    }
                } else if (reader.bodyBytes() != expected.length() || reader.crc() != expected.crc32()) {
                    if (counts(slotOf, now)) {
                        wrongBytes++;
                    }
                } else {
                    record(intended, slotOf, now, reader.bodyBytes());
                }
                boolean close = reader.close() || !spec.keepAlive();
                reader.reset();
                if (close) {
                    resetErrors += countable(0, now); // pipelined requests the server will never answer
                    outstanding = 0;
                    // Let the server close first, as ab and browsers do: the server then holds the
                    // TIME_WAIT, and the client's port is free again at once.
                    awaitingEof = true;
                    eofDeadline = now + spec.timeout().toNanos();
                    link.interest(Transport.READ);
                    return true;
                }
                return false;
            }

            /** How many outstanding requests, from the {@code skip}-th oldest on, count as errors now. */
            private int countable(int skip, long now) {
                int n = 0;
                for (int i = skip; i < outstanding; i++) {
                    if (counts(sentSlot[(oldest + i) % sentSlot.length], now)) {
                        n++;
                    }
                }
                return n;
            }

            /** The connection broke: every outstanding request failed once; reconnect. */
            private void failOutstanding(long now, boolean alreadyCounted) {
                resetErrors += countable(alreadyCounted ? 1 : 0, now);
                outstanding = 0;
                reader.reset();
                closeLink();
                reopen(now);
            }

            /** Called every few milliseconds: reconnects and timeouts. */
            void tick(long now) {
                if (!link.isOpen()) {
                    if (now - retryAt >= 0) {
                        reopen(now);
                    }
                    return;
                }
                if (awaitingEof && now - eofDeadline > 0) {
                    if (counts(answeredSlot, now)) {
                        notClosed++; // the answer counted, but the server broke its word to close
                    }
                    closeLink();
                    reopen(now);
                    return;
                }
                if (!connected && now - connectStarted > spec.timeout().toNanos()) {
                    failConnect(now); // a SYN nobody answers (a full backlog): a connect error, not a hang
                    return;
                }
                if (outstanding > 0 && now - sentOut[oldest] > spec.timeout().toNanos()) {
                    timeoutErrors += countable(0, now); // once per outstanding request
                    outstanding = 0;
                    reader.reset();
                    closeLink();
                    reopen(now);
                }
            }

            private void closeLink() {
                connected = false;
                if (inFlight) {
                    delayed.remove(this);
                    inFlight = false;
                }
                awaitingEof = false;
                link.close();
                out.clear().flip();
            }

            void close() {
                closeLink();
            }
        }
    }
}
