package org.aemp.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;

/**
 * Small-message latency while large messages flow on the same node pair: a child JVM runs node
 * {@code bulk-b} with an echo port and a sink port; this JVM runs {@code bulk-a}, which makes
 * window-1 round trips of small messages to the echo port, first alone and then while another
 * thread streams {@code bulk_size}-byte messages (16 MiB by default) to the sink, at most
 * {@code bulk_window} unacknowledged. One JSON line per mode with the round-trip percentiles idle
 * and under bulk traffic, and the bulk rate.
 *
 * <pre>{@code java -jar aemp-bench.jar bulk [bulk_chunking=both|1|0] [duration=10] [warmup=3]
 *        [bulk_size=16777216] [bulk_window=2] [chunk=65536] [framing=...] [inline=1] [jvm_opts=...]}</pre>
 *
 * {@code bulk_chunking=1} runs both nodes with {@code link_chunk_size} = {@code chunk} (large
 * messages go in chunks, small ones pass them), {@code 0} with it off (every message whole: the
 * behaviour before), {@code both} one after the other, each with a fresh child. The nodes' backlog
 * limit is raised to hold {@code bulk_window} large messages and then some, as a send that passes
 * it would fail the link.
 */
final class Bulk {
    static final Map<String, String> DEFAULTS = Map.of("bulk_chunking", "both", "duration", "10", "warmup", "3",
            "bulk_size", String.valueOf(16 << 20), "bulk_window", "2", "chunk", String.valueOf(64 << 10));
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private Bulk() {
    }

    static List<String> run(List<String> argv, PrintStream progress) throws Exception {
        Args a = Args.parse(argv, Map.of(), DEFAULTS);
        String modes = a.get("bulk_chunking", "both");
        List<Integer> chunkings = switch (modes) {
            case "both" -> List.of(0, 1);
            case "0" -> List.of(0);
            case "1" -> List.of(1);
            default -> throw new IllegalArgumentException("bulk_chunking must be 0, 1 or both: " + modes);
        };
        List<String> lines = new ArrayList<>();
        for (int chunking : chunkings) {
            progress.println("bulk: chunking " + (chunking == 1 ? "on" : "off"));
            lines.add(mode(a, chunking == 1));
        }
        return lines;
    }

    /** The settings both nodes share. */
    private static NodeConfig.Builder config(Args a, String nodeId, boolean chunking) {
        Map<String, String> keys = new LinkedHashMap<>(Map.of("nodeid", nodeId));
        for (String k : List.of("framing", "secret", "inline", "workers", "io_threads")) {
            a.get(k).ifPresent(v -> keys.put(k, v));
        }
        long bulkSize = a.integer("bulk_size", 1);
        int window = a.integer("bulk_window", 1);
        return BenchNodes.config(Args.of(keys))
                .linkChunkSize(chunking ? a.integer("chunk", 1024) : 0)
                .linkBacklogLimit(Math.max(16L << 20, (window + 1) * (bulkSize + (1 << 20))))
                .maxFrameLength((int) Math.min(Integer.MAX_VALUE - 8, Math.max(64L << 20, 2 * bulkSize)));
    }

    private static String mode(Args a, boolean chunking) throws Exception {
        int duration = a.integer("duration", 1);
        int warmup = a.integer("warmup", 0);
        int bulkSize = a.integer("bulk_size", 1);
        int window = a.integer("bulk_window", 1);
        List<String> childArgs = new ArrayList<>(List.of("bulk_chunking=" + (chunking ? 1 : 0)));
        for (String k : List.of("framing", "secret", "inline", "workers", "io_threads", "bulk_size", "bulk_window",
                "chunk")) {
            a.get(k).ifPresent(v -> childArgs.add(k + "=" + v));
        }
        try (ChildJvm child = ChildJvm.start("bulk-b", a.get("jvm_opts", ""), "bulk-node", childArgs);
                Node node = Node.start(config(a, "bulk-a", chunking).binds(List.of()).build())) {
            String address = child.next(LIMIT).orElseThrow(() -> new IllegalStateException("bulk-node did not start"));
            node.addAddresses("bulk-b", List.of(address.trim()));
            PortId echo = new PortId("bulk-b", "echo");
            PortId sink = new PortId("bulk-b", "sink");

            LinkedBlockingQueue<Long> replies = new LinkedBlockingQueue<>();
            PortId reply = node.newPort((ctx, msg) -> replies.put(((Number) msg.get(0)).longValue()));
            roundTrips(node, echo, reply, replies, Duration.ofSeconds(warmup), null);
            Histogram idle = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            roundTrips(node, echo, reply, replies, Duration.ofSeconds(Math.max(1, duration / 2)), idle);

            // the bulk stream: bulk_window messages in flight, each acknowledged by the sink
            String payload = "x".repeat(bulkSize - 64); // some room for the framing: a frame of about bulk_size
            Semaphore credit = new Semaphore(window);
            AtomicLong acked = new AtomicLong();
            PortId acks = node.newPort((ctx, msg) -> {
                acked.incrementAndGet();
                credit.release();
            });
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> streaming = CompletableFuture.runAsync(() -> {
                try {
                    while (!stop.get()) {
                        if (credit.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                            node.send(sink, acks.toString(), payload);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long ackedBefore = waitForBulk(acked, window);
            long t0 = System.nanoTime();
            Histogram busy = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            roundTrips(node, echo, reply, replies, Duration.ofSeconds(duration), busy);
            long bulkMessages = acked.get() - ackedBefore;
            double seconds = (System.nanoTime() - t0) / 1e9;
            stop.set(true);
            streaming.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);

            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bulk_chunking", chunking ? 1 : 0);
            m.put("framing", node.codecs().get(0).name());
            m.put("chunk_bytes", chunking ? a.integer("chunk", 1024) : 0);
            m.put("bulk_bytes", bulkSize);
            m.put("bulk_window", window);
            m.put("idle_rtt_us", percentiles(idle));
            m.put("bulk_rtt_us", percentiles(busy));
            m.put("round_trips", busy.getTotalCount());
            m.put("bulk_msgs", bulkMessages);
            m.put("bulk_mib_per_s", Client.decimal("%.1f", bulkMessages * (double) bulkSize / (1 << 20) / seconds));
            m.put("load", Load.now());
            return JsonLine.of(m);
        }
    }

    /** Waits until the stream is under way (a window's worth acknowledged); the count then. */
    private static long waitForBulk(AtomicLong acked, int window) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (acked.get() < window) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no bulk message acknowledged within " + LIMIT.toSeconds() + " s");
            }
            Thread.sleep(10);
        }
        return acked.get();
    }

    /** Window-1 round trips for {@code length}, each recorded in {@code h} (if not null). */
    private static void roundTrips(Node node, PortId echo, PortId reply, LinkedBlockingQueue<Long> replies,
            Duration length, Histogram h) throws InterruptedException {
        long end = System.nanoTime() + length.toNanos();
        String replyTo = reply.toString();
        for (long seq = 0; System.nanoTime() < end; seq++) {
            long t = System.nanoTime();
            node.send(echo, replyTo, seq);
            Long got = replies.poll(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            if (got == null || got != seq) {
                throw new IllegalStateException("round trip " + seq + ": got " + got);
            }
            if (h != null) {
                h.recordValue(System.nanoTime() - t);
            }
        }
    }

    private static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (double q : new double[] {50, 90, 99, 99.9}) {
            p.put("p" + (q == 99.9 ? "99.9" : String.valueOf((int) q)), Client.decimal("%.1f",
                    h.getValueAtPercentile(q) / 1000.0));
        }
        p.put("max", Client.decimal("%.1f", h.getMaxValue() / 1000.0));
        return p;
    }

    // ---- the child: bulk-node ----

    /**
     * Node {@code bulk-b}: {@code #echo} answers {@code (reply, seq)} with {@code seq};
     * {@code #sink} answers {@code (ack, payload)} with an empty message to {@code ack}. Prints its
     * address, then runs until stdin closes.
     */
    static void node(List<String> argv, PrintStream out) throws Exception {
        Args a = Args.parse(argv, Map.of(), DEFAULTS);
        boolean chunking = a.get("bulk_chunking", "1").equals("1");
        try (Node node = Node.start(config(a, "bulk-b", chunking).binds(List.of("127.0.0.1:0")).build())) {
            node.receive(new PortId(node.id(), "echo"), (ctx, msg) ->
                    ctx.send(PortId.parse((String) msg.get(0)), msg.get(1)));
            node.receive(new PortId(node.id(), "sink"), (ctx, msg) -> ctx.send(PortId.parse((String) msg.get(0))));
            out.println(node.listenAddresses().get(0));
            out.flush();
            while (System.in.read() >= 0) {
                // until stdin closes
            }
        }
    }
}
