package org.aemp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aemp.KillReason;
import org.aemp.LinkStats;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testing.logging.TestLogs;
import org.aemp.testkit.ChildProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Flow control across processes: the overloads of the issue "memory stays bounded under any load,
 * and overload is visible", each reproduced with a {@link FlowPeer} in a JVM of its own, with the
 * default limits (1 MiB busy threshold, 16 MiB backlog limit, 10,000 messages per busy mailbox).
 * Before flow control, a slow port grew its node's heap by 390 MB in 21 s, a stopped peer grew
 * the sender's direct memory by 7.8 MB/s, a flood of sends to unknown nodes grew the table of
 * nodes for good, and {@code close()} lost most of what was queued; all without a word.
 *
 * <p>Each test logs its figures (memory, rates, timings) at INFO: run with
 * {@code -Daemp.test.logs=console} to see them. The machine these run on is
 * shared, so the bounds are generous and memory is measured after full collections. The test
 * JVM sends at most about 50,000 messages a second (leak detection is paranoid here); the close
 * test therefore sends from a child JVM.
 */
@Timeout(120)
class FlowControlTest {
    private static final Logger log = LoggerFactory.getLogger(FlowControlTest.class);
    private static final String SECRET = "flow-secret";
    private static final long MIB = 1 << 20;
    /** The message rate of the overload tests, and their payload: 100 bytes. */
    private static final int RATE = 50_000;
    private static final String PAYLOAD = "x".repeat(100);
    private static final Duration SENDING = Duration.ofSeconds(20);
    private static final Duration STARTUP = Duration.ofSeconds(30);
    /**
     * How much a receiver under overload may grow, heap after GC plus direct memory, over its level
     * before: it holds a busy mailbox (10,000 messages of 100 bytes; 4-6 MiB measured).
     */
    private static final long OVERLOAD_BOUND = 64 * MIB;
    /**
     * How much a sender's direct memory may grow over its level before: the backlog limit counts
     * encoded bytes (16 MiB), and the buffers that hold them have room beyond what was written,
     * up to as much again (batches grow by doubling; measured 47 MB of capacity holding 30 MB of
     * bytes with a 32 MiB limit), plus what the allocator keeps in partly used chunks.
     */
    private static final long SENDER_BOUND = 64 * MIB;

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private final List<ChildProcess> children = new ArrayList<>();
    private final ExecutorService senders = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "flow-test-sender");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void endChildren() throws Exception {
        senders.shutdownNow();
        for (ChildProcess c : children) {
            try {
                c.signal("CONT"); // a stopped process could not quit when its stdin closes
            } catch (IOException e) {
                // gone already
            }
            c.close();
        }
    }

    // ---- 1. a slow port ----

    @Test
    @Timeout(150)
    void aSlowPortKeepsItsNodesMemoryBoundedAndThePlainSenderSeesTheLinkFail(TestLogs logs) throws Exception {
        logs.allow(Level.WARN, "messages were not sent");
        ChildProcess peer = startPeer("flow-slow", List.of());
        Node n = local("slow-sender", b -> b);
        String id = link(n, peer);
        PortId sink = new PortId(id, "sink");
        Probe<String> busy = new Probe<>();
        n.monitorBusy((node, isBusy) -> busy.put(node + " " + (isBusy ? "busy" : "ready")));
        Probe<KillReason> down = new Probe<>();
        n.monitor(sink, down::put);
        Mem before = mem(peer);

        Future<Long> sending = senders.submit(() -> sendAtRate(n, sink, SENDING));
        Mem peak = watch(peer, sending);
        long sent = sending.get();
        Mem after = mem(peer);
        LinkStats link = stats(n, id);

        report("slow port, plain send", sent, before, peak, after);
        figures("  sender: %s", link);
        assertThat(peak.total() - before.total()).as("receiver's growth, heap after GC + direct")
                .isLessThan(OVERLOAD_BOUND);
        assertThat(peak.busy()).as("the receiver reports its busy mailbox").contains("sink:");
        assertThat(busy.next()).isEqualTo(id + " busy");
        KillReason reason = down.next(Duration.ofSeconds(1));
        assertThat(reason.values().subList(0, 2)).containsExactly(KillReason.TRANSPORT_ERROR, id);
        assertThat((String) reason.values().get(2)).contains("backlog limit reached", "link_backlog_limit");
        n.close(Duration.ZERO);
    }

    @Test
    @Timeout(150)
    void aSlowPortKeepsItsNodesMemoryBoundedAndTrySendDeliversEverythingItTook() throws Exception {
        ChildProcess peer = startPeer("flow-try", List.of());
        Node n = local("try-sender", b -> b);
        String id = link(n, peer);
        PortId sink = new PortId(id, "sink");
        Probe<KillReason> down = new Probe<>();
        n.monitor(sink, down::put);
        Probe<String> nodeDown = new Probe<>();
        n.monitorNodes((node, up, reason) -> {
            if (!up) {
                nodeDown.put(node + " " + reason.values());
            }
        });
        Mem before = mem(peer);

        long[] refused = new long[1];
        Future<Long> sending = senders.submit(() -> trySendAtRate(n, sink, SENDING, refused));
        Mem peak = watch(peer, sending);
        long sent = sending.get();
        Mem slow = mem(peer);
        peer.println("fast");
        peer.await(STARTUP, "fast"::equals, "'fast'");
        while (!n.trySend(sink, "end", sent)) {
            n.whenReady(sink).get(60, TimeUnit.SECONDS);
        }
        Count got = awaitCount(peer, c -> c.end() >= 0, Duration.ofSeconds(60));
        LinkStats link = stats(n, id);

        report("slow port, trySend + whenReady", sent, before, peak, slow);
        figures("  sender: refused %d times; %s", refused[0], link);
        figures("  receiver: %s", got);
        assertThat(peak.total() - before.total()).as("receiver's growth, heap after GC + direct")
                .isLessThan(OVERLOAD_BOUND);
        assertThat(peak.busy()).as("the receiver reports its busy mailbox").contains("sink:");
        assertThat(refused[0]).isPositive();
        assertThat(link.refusals()).isGreaterThanOrEqualTo(refused[0]);
        assertThat(link.overflows()).isZero();
        assertThat(link.busyTime()).isPositive();
        assertThat(got).isEqualTo(new Count(sent, sent - 1, 0, sent));
        down.nothingWithin(Duration.ZERO);
        nodeDown.nothingWithin(Duration.ZERO);
    }

    // ---- 2. a stopped peer ----

    @Test
    @Timeout(150)
    void aStoppedPeerCostsTheSenderAtMostTheBacklogLimitAndFailsTheLink(TestLogs logs) throws Exception {
        logs.allow(Level.WARN, "messages were not sent");
        ChildProcess peer = startPeer("flow-stopped", List.of());
        // a liveness timeout longer than the test, so that it is the backlog limit that trips
        Node n = local("stopped-sender", b -> b.livenessTimeout(Duration.ofMinutes(5)));
        String id = link(n, peer);
        PortId sink = new PortId(id, "sink");
        Probe<String> busy = new Probe<>();
        n.monitorBusy((node, isBusy) -> busy.put(node + " " + (isBusy ? "busy" : "ready")));
        Probe<KillReason> down = new Probe<>();
        n.monitor(sink, down::put);
        peer.signal("STOP");
        long start = FlowPeer.directMemory();
        long startAllocator = FlowPeer.allocatorDirectMemory();

        Future<Long> sending = senders.submit(() -> sendAtRate(n, sink, SENDING));
        long peak = start;
        long peakAllocator = startAllocator;
        long failedAfter = -1;
        long t0 = System.nanoTime();
        while (!sending.isDone()) {
            peak = Math.max(peak, FlowPeer.directMemory());
            peakAllocator = Math.max(peakAllocator, FlowPeer.allocatorDirectMemory());
            if (failedAfter < 0 && !down.isEmpty()) {
                failedAfter = (System.nanoTime() - t0) / 1_000_000;
            }
            waitFor(sending, Duration.ofMillis(100));
        }
        long sent = sending.get();
        figures("stopped peer: sent %,d in %s; sender's direct memory %,d -> peak %,d (+%.1f MiB);"
                + " allocator %,d -> %,d; link failed after %d ms", sent, SENDING, start, peak,
                (peak - start) / (double) MIB, startAllocator, peakAllocator, failedAfter);
        assertThat(peak - start).as("sender's direct memory growth").isLessThan(SENDER_BOUND);
        assertThat(busy.next()).isEqualTo(id + " busy");
        KillReason reason = down.next(Duration.ofSeconds(1));
        assertThat(reason.values().subList(0, 2)).containsExactly(KillReason.TRANSPORT_ERROR, id);
        assertThat((String) reason.values().get(2)).contains("backlog limit reached");
        n.close(Duration.ZERO);
    }

    // ---- 3. a flood of sends to unknown nodes ----

    @Test
    @Timeout(120)
    void sendsToManyUnknownNodesLeaveTheTableBounded() throws Exception {
        int seedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            seedPort = s.getLocalPort(); // nothing listens there once closed: the node never finds a master
        }
        ChildProcess peer = startPeer("flow-flood", List.of("-Xmx64m"), "seeds=127.0.0.1:" + seedPort);
        Node n = local("flooder", b -> b);
        String id = link(n, peer);
        Mem before = mem(peer);

        long t0 = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            n.send(PortId.nodePort(id), "snd", "unknown" + i + "#x", "hi");
        }
        ping(n, id); // answered after every request before it was handled
        long floodMillis = (System.nanoTime() - t0) / 1_000_000;
        Mem during = mem(peer);
        long t1 = System.nanoTime();
        Mem settled = during;
        while (settled.links() > 1 || settled.heap() > before.heap() + 16 * MIB) {
            assertThat(System.nanoTime() - t1).as("time for the table to shrink, last: " + settled)
                    .isLessThan(Duration.ofSeconds(30).toNanos());
            waitFor(null, Duration.ofSeconds(1));
            settled = mem(peer);
        }
        long settleMillis = (System.nanoTime() - t1) / 1_000_000;
        ping(n, id);

        figures("unknown-node flood: 100,000 snd requests handled in %d ms; before %s; right after %s;"
                + " %d ms later %s", floodMillis, before, during, settleMillis, settled);
        assertThat(Files.readString(peer.stderrFile().toPath())).doesNotContain("OutOfMemoryError");
        assertThat(during.links()).as("nodes in the table right after the flood").isLessThanOrEqualTo(10_001);
        assertThat(settled.heap()).isLessThan(before.heap() + 16 * MIB);
    }

    // ---- 4. close ----

    @Test
    @Timeout(150)
    void closeDeliversEverythingQueuedToAHealthyPeer() throws Exception {
        // both nodes in JVMs of their own, as in the issue. The receiver is stopped while the
        // sender sends, so that nearly everything is still queued when close() begins
        ChildProcess receiver = startPeer("flow-close", List.of(), "sleep=0");
        ChildProcess sender = startPeer("flow-closer", List.of());
        String address = receiver.await(STARTUP, l -> l.startsWith("ready "), "starting with 'ready'").split(" ")[2];
        sender.await(STARTUP, l -> l.startsWith("ready "), "starting with 'ready'");
        int count = 850_000;

        sender.println("connect " + address);
        String id = sender.await(STARTUP, l -> l.startsWith("connected "), "'connected ...'").split(" ")[1];
        receiver.signal("STOP");
        sender.println("blast " + id + " " + count);
        String closing = sender.await(Duration.ofSeconds(90), l -> l.startsWith("closing "), "'closing ...'");
        receiver.signal("CONT");
        String blasted = sender.await(Duration.ofSeconds(90), l -> l.startsWith("blasted "), "'blasted ...'");
        long t0 = System.nanoTime();
        Count got = awaitCount(receiver, c -> c.n() >= count, Duration.ofSeconds(60));
        long t1 = System.nanoTime();

        figures("close right after %,d sends to a peer stopped until close began: %s; %s; the receiver"
                + " had them all %d ms later: %s", count, closing, blasted, (t1 - t0) / 1_000_000, got);
        long backlog = Long.parseLong(closing.substring("closing backlog=".length()));
        assertThat(backlog).as("bytes queued when close began").isGreaterThan(MIB);
        assertThat(blasted).contains(" unsent=0 ");
        assertThat(got).isEqualTo(new Count(count, count - 1, 0, -1));
    }

    @Test
    @Timeout(120)
    void closeGivesUpOnAStoppedPeerInTimeAndSaysHowManyWereNotSent(TestLogs logs) throws Exception {
        logs.expect(Level.WARN, "messages were not sent");
        ChildProcess peer = startPeer("flow-close-stopped", List.of());
        Node n = local("stopped-closer", b -> b);
        String id = link(n, peer);
        PortId sink = new PortId(id, "sink");
        peer.signal("STOP");
        int count = 100_000; // about 11 MB: more than the socket buffers hold, less than the backlog limit
        for (int i = 0; i < count; i++) {
            n.send(sink, i, PAYLOAD);
        }
        long t0 = System.nanoTime();
        long unsent = n.close(Duration.ofSeconds(1));
        long closeMillis = (System.nanoTime() - t0) / 1_000_000;

        figures("close(1 s) with a stopped peer: %d ms, %,d of %,d not sent", closeMillis, unsent, count);
        assertThat(unsent).isPositive().isLessThanOrEqualTo(count);
        assertThat(closeMillis).isLessThan(6_000);
    }

    // ---- helpers ----

    /** Logs a test's figures at INFO: shown when it fails, or with {@code -Daemp.test.logs=console}. */
    private static void figures(String format, Object... args) {
        log.info("{}", String.format(format, args));
    }

    /** Heap in use after GC, direct memory, nodes in the table and busy mailboxes of a {@link FlowPeer}. */
    record Mem(long heap, long direct, int links, String busy) {
        long total() {
            return heap + direct;
        }

        @Override
        public String toString() {
            return String.format("heap %.1f MiB + direct %.1f MiB, %d nodes in the table, busy [%s]",
                    heap / (double) MIB, direct / (double) MIB, links, busy);
        }
    }

    private static final Pattern MEM = Pattern.compile(
            "mem heap=(\\d+) direct=(\\d+) allocator=-?\\d+ links=(\\d+) busy=(.*)");

    private static Mem mem(ChildProcess peer) throws IOException {
        peer.println("mem");
        String line = peer.await(STARTUP, l -> l.startsWith("mem "), "'mem ...'");
        Matcher m = MEM.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        return new Mem(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Integer.parseInt(m.group(3)),
                m.group(4));
    }

    /** What a {@link FlowPeer}'s {@code #sink} got. */
    record Count(long n, long last, long gaps, long end) {
    }

    private static final Pattern COUNT = Pattern.compile("count n=(\\d+) last=(-?\\d+) gaps=(\\d+) end=(-?\\d+)");

    private static Count count(ChildProcess peer) throws IOException {
        peer.println("count");
        String line = peer.await(STARTUP, l -> l.startsWith("count "), "'count ...'");
        Matcher m = COUNT.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        return new Count(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)));
    }

    private static Count awaitCount(ChildProcess peer, java.util.function.Predicate<Count> done, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Count c = count(peer);
        while (!done.test(c)) {
            assertThat(System.nanoTime()).as("time for the peer to get everything; last: " + c).isLessThan(deadline);
            waitFor(null, Duration.ofMillis(200));
            c = count(peer);
        }
        return c;
    }

    /**
     * Samples the peer's memory every 2 s until {@code sending} is done: the sample with the most
     * memory, with the last busy mailboxes seen in any sample.
     */
    private static Mem watch(ChildProcess peer, Future<?> sending) throws Exception {
        Mem peak = null;
        String busy = "";
        do {
            waitFor(sending, Duration.ofSeconds(2));
            Mem m = mem(peer);
            busy = m.busy().isEmpty() ? busy : m.busy();
            peak = peak == null || m.total() > peak.total() ? m : peak;
        } while (!sending.isDone());
        return new Mem(peak.heap(), peak.direct(), peak.links(), busy);
    }

    /** Waits up to {@code d} for {@code f} to finish (or just waits, if null). */
    private static void waitFor(Future<?> f, Duration d) throws Exception {
        if (f == null) {
            Thread.sleep(d.toMillis()); // polling another process: there is nothing to wait on
            return;
        }
        try {
            f.get(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // still running
        }
    }

    private static void report(String what, long sent, Mem before, Mem peak, Mem after) {
        figures("%s: sent %,d in %s (%,.0f/s); receiver before: %s; peak: %s (+%.1f MiB); after: %s",
                what, sent, SENDING, sent / (double) SENDING.toSeconds(), before, peak,
                (peak.total() - before.total()) / (double) MIB, after);
    }

    /** Sends {@code (seq, PAYLOAD)} with {@code send}, {@link #RATE} a second (as well as it can), for {@code d}. */
    private static long sendAtRate(Node n, PortId to, Duration d) {
        long start = System.nanoTime();
        long sent = 0;
        for (long now; (now = System.nanoTime()) - start < d.toNanos(); ) {
            long due = (now - start) * RATE / 1_000_000_000L;
            for (long stop = Math.min(due, sent + RATE / 10); sent < stop; sent++) {
                n.send(to, sent, PAYLOAD);
            }
            LockSupport.parkNanos(1_000_000);
        }
        return sent;
    }

    /**
     * Like {@link #sendAtRate}, with {@code trySend}: a message refused is sent again once
     * {@code whenReady} says so. Returns how many were taken; counts refusals in {@code refused[0]}.
     */
    private static long trySendAtRate(Node n, PortId to, Duration d, long[] refused) throws Exception {
        long start = System.nanoTime();
        long end = start + d.toNanos();
        long sent = 0;
        for (long now; (now = System.nanoTime()) < end; ) {
            long due = (now - start) * RATE / 1_000_000_000L;
            for (long stop = Math.min(due, sent + RATE / 10); sent < stop; ) {
                if (n.trySend(to, sent, PAYLOAD)) {
                    sent++;
                    continue;
                }
                refused[0]++;
                try {
                    n.whenReady(to).get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    return sent;
                }
            }
            LockSupport.parkNanos(1_000_000);
        }
        return sent;
    }

    private static LinkStats stats(Node n, String node) {
        return n.stats().links().stream().filter(l -> l.node().equals(node)).findFirst().orElse(null);
    }

    private ChildProcess startPeer(String id, List<String> jvmOptions, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("nodeid=" + id, "secret=" + SECRET));
        all.addAll(List.of(args));
        ChildProcess p = ChildProcess.startJava(id, List.of(), jvmOptions, FlowPeer.class, all.toArray(String[]::new));
        children.add(p);
        return p;
    }

    private Node local(String id, UnaryOperator<NodeConfig.Builder> customize) {
        return nodes.start(id, b -> customize.apply(b.binds(List.of("127.0.0.1:0")).secret(SECRET)));
    }

    /** Connects {@code n} to the peer once it is ready, and checks the link with a ping; the peer's id. */
    private static String link(Node n, ChildProcess peer) throws Exception {
        String ready = peer.await(STARTUP, l -> l.startsWith("ready "), "starting with 'ready'");
        String[] parts = ready.split(" ");
        String address = parts[2].split(",")[0];
        String id = n.connect(address).get(30, TimeUnit.SECONDS);
        assertThat(id).isEqualTo(parts[1]);
        n.addAddresses(id, List.of(address)); // so that a send after a failure connects again
        ping(n, id);
        return id;
    }

    private static void ping(Node n, String peer) {
        Probe<List<Object>> got = new Probe<>();
        PortId reply = n.newPort((ctx, m) -> got.put(m));
        n.send(new PortId(peer, "echo"), reply.toString(), "pong");
        assertThat(got.next(Duration.ofSeconds(30))).containsExactly("pong");
        n.kill(reply);
    }
}
