package org.aemp.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.aemp.LinkStats;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.NodeStats;
import org.aemp.PortId;
import org.aemp.config.JsonValues;

/**
 * A soak run of flow control: fast senders against a slow port and against a stopped process, each
 * node in a JVM of its own, for {@code duration} seconds (default 600), printing every process's
 * memory and counters every {@code interval} seconds (default 10) and a summary at the end. Exits
 * with status 1 if a memory figure of a process is not flat: if its median over the last third of
 * the run is above its median over the middle third by more than {@code max_growth} MB (default 2)
 * and 5%, and by more than chance: the growth's 99% lower bound (bootstrap of the two thirds'
 * samples) is above zero. Bounded figures move in a saw-tooth (a link's buffers fill to the
 * backlog limit and empty, the heap between collections), and a sample every {@code interval}
 * catches it anywhere between its floor and its top, so single samples (a peak, a fitted slope)
 * are noise: two runs flagged different figures by their peaks. A leak moves the whole saw-tooth,
 * and so the median; but the median of a few dozen samples of a saw-tooth 26 MB high still moves
 * by a few MB by chance (a 30-minute run's plain sender: 25.0 to 27.1 MB, slope +0.01 MB/min), so
 * the growth must also stand out of the figure's own spread. The first third is left out, as the
 * JIT, the heap's and malloc's arenas grow to their working size. Peaks and the slope over the last
 * two thirds are printed too, for information.
 *
 * <pre>{@code java -jar aemp-bench.jar soak [duration=600] [interval=10] [scenarios=try,send,stopped]
 *        [sleep=10] [size=100] [rate=0] [transport=...] [max_growth=2] [jvm_opts="-Xms256m -Xmx256m -XX:+AlwaysPreTouch -XX:+ExitOnOutOfMemoryError"]}</pre>
 *
 * <p>Scenarios, each a sender JVM and a receiver JVM:
 * <ul>
 *   <li>{@code try}: the receiver's port {@code #sink} sleeps {@code sleep} ms per message; the
 *       sender pushes {@code (seq, payload)} of {@code size} bytes with {@link Node#trySend} as fast
 *       as it takes them, waiting with {@link Node#whenReady} after each refusal;
 *   <li>{@code send}: the same slow port, with a plain {@link Node#send} in a loop: the link trips
 *       its backlog limit over and over, fails, and the next send connects again;
 *   <li>{@code stopped}: a plain-send loop to a receiver that is stopped (SIGSTOP) for the whole
 *       run and continued (SIGCONT) at the end.
 * </ul>
 * {@code rate} caps each plain sender (messages per second, 0 = no cap); {@code transport}
 * ({@code epoll} or {@code nio}) picks the nodes' transport. Memory figures: heap used
 * after full collections, the direct memory of Netty's default allocator (4.2: the adaptive one),
 * Netty's own direct-memory count, the JDK's
 * direct buffers, RSS; the stopped receiver can report nothing while stopped, so its RSS is read
 * from {@code /proc} by this process. The child JVMs run {@code Main soak-node} ({@link #node}).
 * The child JVMs get a fixed, pre-touched heap by default, so that RSS shows memory beyond the heap
 * rather than the JVM committing more of its heap as it goes (with a growing heap, RSS rose for
 * minutes while the heap after collections stayed flat).
 */
final class Soak {
    static final Map<String, String> DEFAULTS = Map.of("duration", "600", "interval", "10",
            "scenarios", "try,send,stopped", "sleep", "10", "size", "100", "rate", "0", "max_growth", "2",
            "jvm_opts", "-Xms256m -Xmx256m -XX:+AlwaysPreTouch -XX:+ExitOnOutOfMemoryError", "secret", "soak-secret");
    private static final Duration STARTUP = Duration.ofSeconds(60);
    /** The memory figures, as keys of a sample line, with their column titles. */
    private static final Map<String, String> FIGURES = figures();

    private Soak() {
    }

    private static Map<String, String> figures() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("heap", "heap after GC");
        f.put("allocator_direct", "Netty allocator direct");
        f.put("netty_direct", "Netty direct count");
        f.put("jdk_direct", "JDK direct buffers");
        f.put("rss", "RSS");
        return f;
    }

    // ---- the parent ----

    /** Runs the soak; returns the exit status (0: memory flat, 1: a figure's median grew). */
    static int run(List<String> argv, PrintStream out) throws IOException, InterruptedException, TimeoutException {
        Args a = Args.parse(argv, Map.of(), DEFAULTS);
        int duration = a.integer("duration", 1);
        int interval = a.integer("interval", 1);
        double maxGrowth = Double.parseDouble(a.require("max_growth"));
        List<String> scenarios = a.list("scenarios", "");
        for (String s : scenarios) {
            if (!List.of("try", "send", "stopped").contains(s)) {
                throw new IllegalArgumentException("unknown scenario '" + s + "' (try, send, stopped)");
            }
        }
        String jvmOpts = a.get("jvm_opts", "");
        List<String> common = new ArrayList<>(List.of("interval=" + interval, "secret=" + a.require("secret")));
        a.get("transport").ifPresent(t -> common.add("transport=" + t));
        List<ChildJvm> children = new ArrayList<>();
        ChildJvm stopped = null;
        Map<String, Series> series = new LinkedHashMap<>();
        List<String> died = List.of();
        out.printf(Locale.ROOT, "# soak: %s for %d s, a line per process every %d s; memory in MB; medians may grow by %.2f MB and 5%%;"
                + " %d cores, load %s%n", scenarios, duration, interval, maxGrowth,
                Runtime.getRuntime().availableProcessors(), Load.now());
        try {
            List<ChildJvm> senders = new ArrayList<>();
            for (String s : scenarios) {
                ChildJvm r = ChildJvm.start(s + "-receiver", jvmOpts, "soak-node", concat(common, List.of(
                        "role=receiver", "name=" + s + "-receiver", "sleep=" + (s.equals("stopped") ? 0 : a.require("sleep")))));
                children.add(r);
                Map<String, Object> ready = json(r.await(l -> l.contains("\"ready\""), STARTUP, "ready line"));
                ChildJvm snd = ChildJvm.start(s + "-sender", jvmOpts, "soak-node", concat(common, List.of(
                        "role=sender", "name=" + s + "-sender", "mode=" + (s.equals("try") ? "try" : "send"),
                        "target=" + ready.get("node"), "peer=" + ready.get("addr"), "size=" + a.require("size"),
                        "rate=" + a.require("rate"))));
                children.add(snd);
                senders.add(snd);
                snd.await(l -> l.contains("\"ready\""), STARTUP, "ready line");
                if (s.equals("stopped")) {
                    stopped = r;
                }
            }
            if (stopped != null) {
                stopped.signal("STOP");
            }
            children.forEach(c -> c.println("go"));
            out.println(Sample.HEADER);
            List<ChildJvm> ended = new ArrayList<>();
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(duration);
            long nextOwn = start + TimeUnit.SECONDS.toNanos(interval);
            while (System.nanoTime() < end) {
                boolean any = false;
                for (ChildJvm c : children) {
                    if (ended.contains(c)) {
                        continue;
                    }
                    try {
                        for (Optional<String> line; (line = c.next(Duration.ZERO)).isPresent(); ) {
                            any = true;
                            record(line.get(), series, out);
                        }
                    } catch (IOException e) { // it died: say so, go on with the others, fail the run
                        ended.add(c);
                        out.printf(Locale.ROOT, "# %.0f s: %s%n", (System.nanoTime() - start) / 1e9, e.getMessage());
                    }
                }
                if (stopped != null && System.nanoTime() >= nextOwn) {
                    // the stopped receiver says nothing: its RSS is what can be seen from outside
                    double t = (System.nanoTime() - start) / 1e9;
                    Sample s = Sample.rssOnly(stopped.name() + " (stopped)", t, Memory.rss(stopped.pid()));
                    series.computeIfAbsent(s.proc(), Series::new).add(s);
                    out.println(s.format());
                    nextOwn += TimeUnit.SECONDS.toNanos(interval);
                }
                if (!any) {
                    Thread.sleep(50);
                }
            }
            if (stopped != null) {
                stopped.signal("CONT");
            }
            for (ChildJvm snd : senders) {
                snd.println("stop");
            }
            for (ChildJvm snd : senders) {
                if (ended.contains(snd)) {
                    continue;
                }
                // the final line of each sender: its figures once it stopped sending
                String last = snd.await(l -> l.contains("\"final\""), STARTUP, "final line");
                out.println("# final: " + Sample.of(json(last)).format());
            }
            died = ended.stream().map(ChildJvm::name).toList();
        } finally {
            if (stopped != null) {
                try {
                    stopped.signal("CONT");
                } catch (IOException e) {
                    // gone already
                }
            }
            children.forEach(ChildJvm::close);
        }
        int status = summary(series, maxGrowth, duration, out);
        if (!died.isEmpty()) {
            out.println("processes that ended before the run did: " + String.join(", ", died));
            return 1;
        }
        return status;
    }

    private static void record(String line, Map<String, Series> series, PrintStream out) {
        if (!line.startsWith("{\"")) {
            out.println("# " + line);
            return;
        }
        Map<String, Object> j = json(line);
        if (!"sample".equals(j.get("event"))) {
            return;
        }
        Sample s = Sample.of(j);
        series.computeIfAbsent(s.proc(), Series::new).add(s);
        out.println(s.format());
    }

    /**
     * Prints, per process and memory figure, the first sample, the minimum, maximum and last over the
     * last two thirds of the {@code duration}, the medians and peaks of its middle and last thirds
     * and the slope over the last two thirds; returns 1 if any figure's last median is above its
     * middle median by more than {@code maxGrowth} MB and 5%.
     */
    static int summary(Map<String, Series> series, double maxGrowth, double duration, PrintStream out) {
        double third = duration / 3.0;
        out.println();
        out.printf(Locale.ROOT, "summary (MB; min, max, last and slope after %.0f s; medians and peaks of %.0f-%.0f s and %.0f-%.0f s):%n",
                third, third, 2 * third, 2 * third, duration);
        out.println();
        out.println("| process | figure | first | min | max | last | median, middle third | median, last third"
                + " | growth, 99% lower bound | peak, middle third | peak, last third | slope MB/min |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        List<String> grew = new ArrayList<>();
        for (Series s : series.values()) {
            for (Map.Entry<String, String> f : FIGURES.entrySet()) {
                Series.Figures fig = s.figures(f.getKey(), third, 2 * third);
                if (fig == null) {
                    continue;
                }
                out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %+.1f | %.1f | %.1f | %+.2f |%n",
                        s.proc, f.getValue(), fig.first(), fig.min(), fig.max(), fig.last(), fig.middleMedian(),
                        fig.lastMedian(), fig.growthLowerBound(), fig.middlePeak(), fig.lastPeak(), fig.slope());
                double growth = fig.lastMedian() - fig.middleMedian();
                if (growth > maxGrowth && growth > 0.05 * fig.middleMedian() && fig.growthLowerBound() > 0) {
                    grew.add(String.format(Locale.ROOT, "%s %s %.1f -> %.1f MB", s.proc, f.getValue(), fig.middleMedian(),
                            fig.lastMedian()));
                }
            }
        }
        out.println();
        if (grew.isEmpty()) {
            out.printf(Locale.ROOT, "memory flat: no figure's median grew by more than %.2f MB and 5%% and by more than chance"
                    + " from the middle to the last third%n", maxGrowth);
            return 0;
        }
        out.printf(Locale.ROOT, "memory grew (medians, middle to last third): %s%n", String.join("; ", grew));
        return 1;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String line) {
        try {
            return (Map<String, Object>) JsonValues.parseStrict(line);
        } catch (Exception e) {
            throw new IllegalStateException("not a JSON object: " + line, e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    /** One line of one process. Figures are bytes, or -1 where unknown. */
    record Sample(String proc, double t, long heap, long allocatorDirect, long nettyDirect, long jdkDirect, long rss,
            long sent, long received, long refused, long failures, long sinkDown, long backlog, double busyS, long linkRefusals,
            long overflows, long mailbox) {
        static final String HEADER = String.format(Locale.ROOT,
                "%6s %-26s %7s %7s %7s %7s %7s %11s %9s %9s %9s %9s %8s %8s %9s %9s %7s",
                "t s", "process", "heap", "alloc", "netty", "jdk dir", "RSS", "sent", "received", "refused",
                "node down", "sink down", "backlog", "busy s", "refusals", "overflows", "mailbox");

        static Sample rssOnly(String proc, double t, long rss) {
            return new Sample(proc, t, -1, -1, -1, -1, rss, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
        }

        static Sample of(Map<String, Object> j) {
            return new Sample((String) j.get("proc"), num(j, "t"), (long) num(j, "heap"), (long) num(j, "allocator_direct"),
                    (long) num(j, "netty_direct"), (long) num(j, "jdk_direct"), (long) num(j, "rss"),
                    (long) num(j, "sent"), (long) num(j, "received"), (long) num(j, "refused"),
                    (long) num(j, "link_failures"), (long) num(j, "sink_down"), (long) num(j, "backlog"), num(j, "busy_s"),
                    (long) num(j, "link_refusals"), (long) num(j, "overflows"), (long) num(j, "mailbox"));
        }

        private static double num(Map<String, Object> j, String key) {
            return j.get(key) instanceof Number n ? n.doubleValue() : -1;
        }

        long figure(String key) {
            return switch (key) {
                case "heap" -> heap;
                case "allocator_direct" -> allocatorDirect;
                case "netty_direct" -> nettyDirect;
                case "jdk_direct" -> jdkDirect;
                case "rss" -> rss;
                default -> throw new IllegalArgumentException("no figure " + key);
            };
        }

        String format() {
            return String.format(Locale.ROOT, "%6.0f %-26s %7s %7s %7s %7s %7s %11s %9s %9s %9s %9s %8s %8s %9s %9s %7s",
                    t, proc, mb(heap), mb(allocatorDirect), mb(nettyDirect), mb(jdkDirect), mb(rss), n(sent),
                    n(received), n(refused), n(failures), n(sinkDown), mb(backlog), busyS < 0 ? "-"
                            : String.format(Locale.ROOT, "%.1f", busyS), n(linkRefusals), n(overflows), n(mailbox));
        }

        private static String mb(long bytes) {
            return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.1f", Memory.mb(bytes));
        }

        private static String n(long v) {
            return v < 0 ? "-" : Long.toString(v);
        }
    }

    /** The samples of one process. Not thread-safe; confined to the parent's main thread. */
    static final class Series {
        final String proc;
        final List<Sample> samples = new ArrayList<>();

        Series(String proc) {
            this.proc = proc;
        }

        void add(Sample s) {
            samples.add(s);
        }

        record Figures(double first, double min, double max, double last, double middleMedian, double lastMedian,
                double growthLowerBound, double middlePeak, double lastPeak, double slope) {
        }

        /**
         * The figure in MB: the first sample; min/max/last and the slope (MB per minute) from
         * {@code settle} s on; the median and the peak from {@code settle} to {@code late} s and from
         * {@code late} on.
         * Null if there is no sample after {@code settle}.
         */
        Figures figures(String key, double settle, double late) {
            List<double[]> points = new ArrayList<>(); // (minutes, MB)
            double first = Double.NaN;
            List<Double> middle = new ArrayList<>();
            List<Double> last = new ArrayList<>();
            for (Sample s : samples) {
                long v = s.figure(key);
                if (v < 0) {
                    continue;
                }
                double mb = Memory.mb(v);
                if (Double.isNaN(first)) {
                    first = mb;
                }
                if (s.t() >= settle) {
                    points.add(new double[] {s.t() / 60.0, mb});
                    (s.t() < late ? middle : last).add(mb);
                }
            }
            if (points.isEmpty()) {
                return null;
            }
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            for (double[] p : points) {
                min = Math.min(min, p[1]);
                max = Math.max(max, p[1]);
            }
            return new Figures(first, min, max, points.get(points.size() - 1)[1], median(middle), median(last),
                    growthLowerBound(middle, last), peak(middle), peak(last), slope(points));
        }

        /** Resamples drawn for {@link #growthLowerBound}. */
        static final int RESAMPLES = 2000;

        /**
         * A 99% lower bound of how much the median grew from {@code before} to {@code after}, by
         * bootstrap: the 1st percentile of the growth over {@link #RESAMPLES} resamplings (with
         * replacement) of both. Above zero, the growth is more than the samples' spread explains.
         * Seeded, so the same samples give the same bound; 0 if either list is empty.
         */
        static double growthLowerBound(List<Double> before, List<Double> after) {
            if (before.isEmpty() || after.isEmpty()) {
                return 0;
            }
            Random random = new Random(1);
            double[] growths = new double[RESAMPLES];
            for (int r = 0; r < RESAMPLES; r++) {
                growths[r] = median(resample(after, random)) - median(resample(before, random));
            }
            Arrays.sort(growths);
            return growths[RESAMPLES / 100];
        }

        private static List<Double> resample(List<Double> values, Random random) {
            List<Double> drawn = new ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                drawn.add(values.get(random.nextInt(values.size())));
            }
            return drawn;
        }

        /** The median; 0 for none. */
        static double median(List<Double> values) {
            if (values.isEmpty()) {
                return 0;
            }
            List<Double> sorted = new ArrayList<>(values);
            sorted.sort(null);
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        static double peak(List<Double> values) {
            double peak = 0;
            for (double v : values) {
                peak = Math.max(peak, v);
            }
            return peak;
        }

        /** The least-squares slope of y over x; 0 for fewer than two points. */
        static double slope(List<double[]> points) {
            int n = points.size();
            if (n < 2) {
                return 0;
            }
            double sx = 0;
            double sy = 0;
            for (double[] p : points) {
                sx += p[0];
                sy += p[1];
            }
            double mx = sx / n;
            double my = sy / n;
            double num = 0;
            double den = 0;
            for (double[] p : points) {
                num += (p[0] - mx) * (p[1] - my);
                den += (p[0] - mx) * (p[0] - mx);
            }
            return den == 0 ? 0 : num / den;
        }
    }

    // ---- a child: soak-node ----

    /**
     * One process of the soak ({@code soak-node role=receiver|sender ...}), driven by the parent
     * through stdin: {@code go} starts sending and sampling, {@code stop} stops sending and prints a
     * {@code final} line; the process ends when stdin closes. A receiver prints
     * {@code {"event":"ready","node":...,"addr":...}} once it listens, a sender once it is connected.
     */
    static void node(List<String> argv, PrintStream out) throws Exception {
        Args a = Args.parse(argv, Map.of(), Map.of("interval", "10", "sleep", "10", "size", "100", "rate", "0",
                "mode", "try", "secret", "soak-secret"));
        String role = a.require("role");
        String name = a.require("name");
        int interval = a.integer("interval", 1);
        NodeConfig.Builder b = NodeConfig.builder().nodeId(name).secret(a.require("secret"));
        a.get("transport").ifPresent(b::transport);
        if (role.equals("receiver")) {
            b.binds("127.0.0.1:0");
        } else if (!role.equals("sender")) {
            throw new IllegalArgumentException("role must be receiver or sender: " + role);
        }
        Counters c = new Counters();
        try (Node node = Node.start(b.build())) {
            node.monitorNodes((peer, up, reason) -> {
                if (!up) {
                    c.failures.incrementAndGet();
                    c.lastFailure.set(String.valueOf(reason.values()));
                }
            });
            Thread sender = null;
            String target = null;
            if (role.equals("receiver")) {
                long sleep = a.integer("sleep", 0);
                node.receive(new PortId(node.id(), "sink"), (ctx, msg) -> {
                    if (sleep > 0) {
                        Thread.sleep(sleep);
                    }
                    c.received.incrementAndGet();
                });
                EchoNode.line(out, "event", "ready", "node", node.id(), "addr", node.listenAddresses().get(0));
            } else {
                target = a.require("target");
                String peer = a.require("peer");
                node.addAddresses(target, List.of(peer)); // so that every reconnect finds it
                node.connect(peer).get(30, TimeUnit.SECONDS);
                PortId sink = new PortId(target, "sink");
                watch(node, sink, c);
                String payload = "x".repeat(a.integer("size", 0));
                int rate = a.integer("rate", 0);
                boolean trySend = a.require("mode").equals("try");
                sender = new Thread(() -> sendLoop(node, sink, payload, trySend, rate, c), "soak-sender");
                sender.setDaemon(true);
                EchoNode.line(out, "event", "ready", "node", node.id());
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            ScheduledExecutorService timer = null;
            long[] start = {System.nanoTime()};
            String targetNode = target;
            try {
                for (String line; (line = in.readLine()) != null; ) {
                    switch (line.trim()) {
                        case "go" -> {
                            start[0] = System.nanoTime();
                            if (sender != null) {
                                sender.start();
                            }
                            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                                Thread t = new Thread(r, "soak-sampler");
                                t.setDaemon(true);
                                return t;
                            });
                            timer.scheduleAtFixedRate(() -> out.println(sample("sample", name, start[0], node,
                                    targetNode, c)), interval, interval, TimeUnit.SECONDS);
                        }
                        case "stop" -> {
                            c.stop = true;
                            if (sender != null) {
                                sender.join(10_000);
                            }
                            out.println(sample("final", name, start[0], node, targetNode, c));
                        }
                        default -> {
                        }
                    }
                    out.flush();
                }
            } finally {
                c.stop = true;
                if (timer != null) {
                    timer.shutdownNow();
                }
            }
            node.close(Duration.ZERO);
        }
    }

    /** Counts every time the sink's monitor fires (a lost link, or messages dropped while connecting), and re-arms it. */
    private static void watch(Node node, PortId sink, Counters c) {
        node.monitor(sink, reason -> {
            c.sinkDown.incrementAndGet();
            c.lastFailure.set(String.valueOf(reason.values()));
            if (!c.stop) {
                watch(node, sink, c);
            }
        });
    }

    private static void sendLoop(Node node, PortId sink, String payload, boolean trySend, int rate, Counters c) {
        long seq = 0;
        long t0 = System.nanoTime();
        while (!c.stop) {
            if (trySend) {
                if (node.trySend(sink, seq, payload)) {
                    seq++;
                    c.sent.incrementAndGet();
                } else {
                    c.refused.incrementAndGet();
                    try {
                        node.whenReady(sink).get(1, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        // look again (and notice a stop)
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        c.lastFailure.set("whenReady: " + e);
                    }
                }
            } else {
                node.send(sink, seq++, payload);
                c.sent.incrementAndGet();
                if (rate > 0 && seq % 100 == 0) {
                    long ahead = t0 + seq * 1_000_000_000L / rate - System.nanoTime();
                    if (ahead > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(ahead);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }
        }
    }

    /** The counters of one soak process. Thread-safe. */
    private static final class Counters {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicLong sinkDown = new AtomicLong();
        final AtomicReference<String> lastFailure = new AtomicReference<>("");
        volatile boolean stop;
    }

    /** A sample line: memory after full collections, the counters, and the link to the target (if any) from stats(). */
    private static String sample(String event, String name, long start, Node node, String target, Counters c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", event);
        m.put("proc", name);
        m.put("t", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
        m.put("heap", Memory.heapAfterGc());
        m.put("allocator_direct", Memory.allocatorDirect());
        m.put("netty_direct", Memory.nettyDirect());
        m.put("jdk_direct", Memory.jdkDirect());
        m.put("rss", Memory.rss());
        m.put("sent", c.sent.get());
        m.put("received", c.received.get());
        m.put("refused", c.refused.get());
        m.put("link_failures", c.failures.get());
        m.put("sink_down", c.sinkDown.get());
        m.put("last_failure", c.lastFailure.get());
        NodeStats stats = node.stats();
        m.put("mailbox", stats.busyMailboxes().stream().mapToLong(NodeStats.Mailbox::messages).sum());
        m.put("nodes_known", stats.links().size());
        for (LinkStats l : stats.links()) {
            if (l.node().equals(target)) {
                m.put("link_up", l.up());
                m.put("backlog", l.backlogBytes());
                m.put("busy_s", l.busyTime().toMillis() / 1000.0);
                m.put("link_refusals", l.refusals());
                m.put("overflows", l.overflows());
            }
        }
        return JsonLine.of(m);
    }
}
