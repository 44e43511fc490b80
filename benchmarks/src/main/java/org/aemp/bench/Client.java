package org.aemp.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;
import org.aemp.Context;
import org.aemp.Node;
import org.aemp.PortId;
import org.aemp.Receiver;

/**
 * The Java twin of {@code client.pl}: a round-trip load generator that sends {@code n} messages
 * {@code (reply_port, seq, payload)} to an echo port, keeping {@code window} of them in flight, and
 * prints one JSON line with the same keys as client.pl ({@code connect_s} is the first round trip
 * including connection setup; {@code rtt_us} holds p50, p90, p99 and max, plus p99.9 here).
 *
 * <p>Differences from client.pl, all additions: RTTs go into an HdrHistogram (3 significant
 * digits) instead of a sorted array; {@code warmup} (default 50000) untimed round trips with the
 * same window run after the first one, so that both JITs are warm when timing starts; the line
 * also says {@code impl} ({@code java}), {@code warmup} and {@code cpu_s}, the CPU time the client
 * process used during the timed pass (all threads; on a busy machine a steadier measure than the
 * rate). Before the first message, each seed is connected once with {@link Node#connect}
 * (at most 10 s each), so {@code connect_s} includes the connection set-up; a seed that cannot be
 * reached ends the run.
 */
final class Client {
    /** The default of every key the client reads (the only place they are written down). */
    static final Map<String, String> DEFAULTS = Map.of("nodeid", "client/%u", "seeds", "127.0.0.1:4040",
            "target", "echo#echo", "n", "10000", "window", "1", "size", "16", "warmup", "50000");
    private static final Duration TIMEOUT = Duration.ofSeconds(300);

    private Client() {
    }

    /**
     * With {@code observe=1}: an observer leaf in a JVM of its own, joined through the same seeds,
     * with its page open (see {@link ObserverLeaf}); returns once the page has its first snapshot.
     */
    private static ChildJvm observer(Args a, List<String> seeds) throws IOException, InterruptedException,
            TimeoutException {
        List<String> args = new java.util.ArrayList<>(List.of("seeds=" + String.join(",", seeds),
                "secret=" + a.get("secret", "interop-secret")));
        a.get("framing").ifPresent(f -> args.add("framing=" + f));
        a.get("cert").ifPresent(f -> args.add("cert=" + f));
        ChildJvm child = ChildJvm.start("observer", "-Xmx128m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "observer", args);
        try {
            child.await(l -> l.startsWith("ready "), Duration.ofSeconds(30), "observer page");
        } catch (IOException | InterruptedException | TimeoutException | RuntimeException e) {
            child.close();
            throw e;
        }
        return child;
    }

    /** Runs the benchmark and returns client.pl's JSON line (without the newline); {@link #DEFAULTS} fill in. */
    static String run(Args args) throws IOException, InterruptedException, TimeoutException {
        Args a = args.withDefaults(DEFAULTS);
        PortId target = PortId.parse(a.require("target"));
        int n = a.integer("n", 1);
        int window = a.integer("window", 1);
        int size = a.integer("size", 0);
        int warmup = a.integer("warmup", 0);
        String payload = "x".repeat(size);
        List<String> seeds = a.list("seeds", "");

        try (ChildJvm observer = a.flag("observe", false) ? observer(a, seeds) : null;
                Node node = Node.start(BenchNodes.config(a).build())) {
            long t0 = System.nanoTime();
            for (String seed : seeds) {
                await(node.connect(seed), Duration.ofSeconds(10), "no connection to seed " + seed);
            }
            CompletableFuture<List<Object>> first = new CompletableFuture<>();
            PortId r = node.newPort((ctx, msg) -> first.complete(msg));
            node.send(target, r.toString(), 0, "warmup");
            await(first, Duration.ofSeconds(10), "no answer from " + target + " within 10s");
            node.kill(r);
            double connectS = (System.nanoTime() - t0) / 1e9;

            if (warmup > 0) {
                new Run(node, target, warmup, window, payload).go();
            }
            Run timed = new Run(node, target, n, window, payload);
            long cpu0 = processCpuNanos();
            timed.go();
            long cpuNanos = processCpuNanos() - cpu0;
            Histogram h = timed.rtt;
            double elapsedS = timed.elapsedNanos / 1e9;

            Map<String, Object> rtt = new LinkedHashMap<>();
            rtt.put("p50", micros(h.getValueAtPercentile(50)));
            rtt.put("p90", micros(h.getValueAtPercentile(90)));
            rtt.put("p99", micros(h.getValueAtPercentile(99)));
            rtt.put("p99.9", micros(h.getValueAtPercentile(99.9)));
            rtt.put("max", micros(h.getMaxValue()));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("target", target.toString());
            out.put("framing", a.get("framing").orElse("default(" + node.codecs().get(0).name() + ")"));
            out.put("msgs", n);
            out.put("window", window);
            out.put("payload_bytes", size);
            out.put("connect_s", decimal("%.4f", connectS));
            out.put("elapsed_s", decimal("%.4f", elapsedS));
            out.put("msgs_per_s", (long) (n / elapsedS));
            out.put("rtt_us", rtt);
            out.put("impl", "java");
            out.put("warmup", warmup);
            if (cpuNanos >= 0) {
                out.put("cpu_s", decimal("%.4f", cpuNanos / 1e9));
            }
            return JsonLine.of(out);
        }
    }

    /** CPU time this process has used, all threads, or -1 if the JVM cannot tell. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static String micros(long nanos) {
        return decimal("%.1f", nanos / 1000.0);
    }

    /** A number with a decimal point whatever the default locale (a German one would write a comma). */
    static String decimal(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }

    private static <T> T await(CompletableFuture<T> f, Duration timeout, String what)
            throws InterruptedException, TimeoutException, IOException {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException(what);
        } catch (ExecutionException e) {
            throw new IOException(what + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * One timed pass: {@code n} round trips with {@code window} in flight. All of its state is
     * confined to its reply port: the first window is sent from the port's own context
     * ({@link Node#peval}), so no send ever races a reply. If the first window cannot be sent, or
     * the reply port dies (a reply with a wrong sequence number kills it), the pass fails at once
     * instead of waiting for its time limit.
     */
    private static final class Run implements Receiver {
        private final Node node;
        private final PortId target;
        private final int n;
        private final int window;
        private final String payload;
        private final long[] sentAt;
        private final Histogram rtt = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private PortId self;
        private String replyTo;
        private int sent;
        private int got;
        private long start;
        private long elapsedNanos;

        Run(Node node, PortId target, int n, int window, String payload) {
            this.node = node;
            this.target = target;
            this.n = n;
            this.window = window;
            this.payload = payload;
            this.sentAt = new long[n + 1];
        }

        void go() throws InterruptedException, TimeoutException, IOException {
            self = node.newPort(this);
            replyTo = self.toString();
            node.monitor(self, reason -> done.completeExceptionally(
                    new IOException("the reply port died: " + reason)));
            node.peval(self, () -> {
                start = System.nanoTime();
                while (sent < window && sent < n) {
                    sendNext();
                }
                return null;
            }).whenComplete((ignored, failure) -> {
                if (failure != null) {
                    done.completeExceptionally(failure);
                }
            });
            try {
                done.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new TimeoutException("no reply for " + TIMEOUT.toSeconds() + " s");
            } catch (ExecutionException e) {
                throw new IOException(e.getCause().getMessage(), e.getCause());
            } finally {
                node.kill(self);
            }
        }

        private void sendNext() {
            int seq = ++sent;
            sentAt[seq] = System.nanoTime();
            node.send(target, replyTo, seq, payload);
        }

        @Override
        public void receive(Context ctx, List<Object> msg) {
            long now = System.nanoTime();
            int seq = seqOf(msg.get(0));
            rtt.recordValue(Math.max(0, now - sentAt[seq]));
            if (++got == n) {
                elapsedNanos = now - start;
                done.complete(null);
                return;
            }
            if (sent < n) {
                sendNext();
            }
        }

        /** The sequence number of a reply, 1 to n; Perl may send it back as a string. */
        private int seqOf(Object o) {
            long seq;
            if (o instanceof Number num) {
                seq = num.doubleValue() == num.longValue() ? num.longValue() : -1;
            } else {
                try {
                    seq = Long.parseLong(String.valueOf(o));
                } catch (NumberFormatException e) {
                    seq = -1;
                }
            }
            if (seq < 1 || seq > n) {
                throw new IllegalStateException("reply with an unknown sequence number: " + o);
            }
            return (int) seq;
        }
    }
}
