package org.aemp.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.aemp.Context;
import org.aemp.Guard;
import org.aemp.LinkStats;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;
import org.aemp.config.JsonValues;

/**
 * How a network of global nodes and many leaves converges, across processes on loopback:
 * {@code globals} global nodes (default 4) and {@code leaves} leaf nodes (default 200, or a list
 * such as {@code 16,50,100,200}: one network per size) spread over {@code procs} JVMs (default 4).
 * Each JVM hosts a share of the globals (the first seeded by none, the others by the first) and of
 * the leaves (seeded by every global). Once the globals list each other in {@code 'g}, every JVM
 * starts its leaves at the same moment, one after the other; each leaf registers a port in family
 * {@code scale} ({@code db_reg}) and watches the family ({@code db_mon}) until it lists every leaf.
 *
 * <pre>{@code java -jar aemp-bench.jar scale [leaves=16,50,100,200] [globals=4] [procs=4] [links=10]
 *        [warmup=1] [jvm_opts=-Xmx1g]}</pre>
 *
 * One JSON line per size: {@code converge_ms}, from the last leaf's start (the latest of all
 * JVMs) to the moment the last leaf sees every entry; {@code start_span_ms}, from the first leaf's
 * start to the last's; heap (after full collections) and RSS per leaf, summed over the JVMs (a
 * leaf with its link to its master and its share of the database); and, after each leaf has made
 * a round trip to {@code links} leaves in other JVMs (so new links), heap and RSS per link end
 * ({@code heap_per_link_kb}: the growth over the new link ends, a link having one in each of two
 * JVMs). {@code warmup=1} first runs an unreported network of the smallest size, so that the JVMs
 * are warm. Clocks: the JVMs stamp events with the wall clock of this one machine.
 */
final class Scale {
    static final Map<String, String> DEFAULTS = Map.of("leaves", "16,50,100,200", "globals", "4", "procs", "4",
            "links", "10", "warmup", "1", "jvm_opts", "-Xmx1g", "secret", "scale-secret");
    private static final Duration STEP = Duration.ofSeconds(120);
    static final String FAMILY = "scale";

    private Scale() {
    }

    // ---- the parent ----

    static List<String> run(List<String> argv, PrintStream progress) throws Exception {
        Args a = Args.parse(argv, Map.of(), DEFAULTS);
        int globals = a.integer("globals", 1);
        int procs = a.integer("procs", 1);
        int links = a.integer("links", 0);
        List<Integer> sizes = a.list("leaves", "").stream().map(Integer::parseInt).toList();
        for (int s : sizes) {
            if (s < 2) {
                throw new IllegalArgumentException("leaves must be >= 2: " + s);
            }
        }
        List<ChildJvm> children = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        try {
            for (int p = 0; p < procs; p++) {
                children.add(ChildJvm.start("scale-" + p, a.get("jvm_opts", ""), "scale-node",
                        List.of("proc=" + p, "secret=" + a.require("secret"))));
            }
            if (a.flag("warmup", true)) {
                progress.println("scale: warm-up network of " + sizes.get(0) + " leaves");
                network(children, globals, Collections.min(sizes), links);
            }
            for (int size : sizes) {
                progress.println("scale: " + globals + " globals, " + size + " leaves, " + procs + " JVMs");
                Map<String, Object> m = network(children, globals, size, links);
                lines.add(JsonLine.of(m));
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
        return lines;
    }

    /** One network: starts it, measures it, takes it down; returns the figures. */
    private static Map<String, Object> network(List<ChildJvm> children, int globals, int leaves, int links)
            throws Exception {
        int procs = children.size();
        String loadBefore = Load.now();
        // globals: the first one alone, then the others seeded by it
        String first = null;
        List<String> globalAddrs = new ArrayList<>();
        for (int g = 0; g < globals; g++) {
            ChildJvm c = children.get(g % procs);
            c.println("global " + g + " " + (first == null ? "-" : first));
            String addr = (String) event(c, "global").get("addr");
            if (first == null) {
                first = addr;
            }
            globalAddrs.add(addr);
        }
        for (ChildJvm c : children) {
            c.println("gwait " + globals);
        }
        for (ChildJvm c : children) {
            event(c, "gready");
        }
        List<Map<String, Object>> base = mem(children);
        // leaves: every JVM starts its share at once
        String seeds = String.join(",", globalAddrs);
        for (int p = 0; p < procs; p++) {
            int share = leaves / procs + (p < leaves % procs ? 1 : 0);
            children.get(p).println("leaves " + share + " " + leaves + " " + seeds);
        }
        double firstStart = Double.MAX_VALUE;
        double lastStart = 0;
        double lastSeen = 0;
        for (ChildJvm c : children) {
            Map<String, Object> s = event(c, "started");
            firstStart = Math.min(firstStart, num(s, "first"));
            lastStart = Math.max(lastStart, num(s, "last"));
        }
        for (ChildJvm c : children) {
            Map<String, Object> s = event(c, "converged");
            lastSeen = Math.max(lastSeen, num(s, "at"));
        }
        List<Map<String, Object>> converged = mem(children);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("globals", globals);
        m.put("leaves", leaves);
        m.put("procs", procs);
        m.put("converge_ms", round1((lastSeen - lastStart) / 1000.0));
        m.put("start_span_ms", round1((lastStart - firstStart) / 1000.0));
        m.put("heap_per_leaf_kb", round1(delta(base, converged, "heap") / 1024.0 / leaves));
        m.put("rss_per_leaf_kb", round1(delta(base, converged, "rss") / 1024.0 / leaves));
        m.put("link_ends", (long) sum(converged, "link_ends"));
        if (links > 0) {
            for (ChildJvm c : children) {
                c.println("links " + links);
            }
            double ms = 0;
            for (ChildJvm c : children) {
                ms = Math.max(ms, num(event(c, "linked"), "ms"));
            }
            List<Map<String, Object>> linked = mem(children);
            double ends = delta(converged, linked, "link_ends");
            m.put("links_ms", round1(ms));
            m.put("new_link_ends", (long) ends);
            m.put("heap_per_link_kb", ends <= 0 ? -1 : round1(delta(converged, linked, "heap") / 1024.0 / ends));
            m.put("rss_per_link_kb", ends <= 0 ? -1 : round1(delta(converged, linked, "rss") / 1024.0 / ends));
        }
        for (ChildJvm c : children) {
            c.println("reset");
        }
        for (ChildJvm c : children) {
            event(c, "reset");
        }
        m.put("load", loadBefore + " " + Load.now());
        return m;
    }

    private static List<Map<String, Object>> mem(List<ChildJvm> children) throws Exception {
        for (ChildJvm c : children) {
            c.println("mem");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (ChildJvm c : children) {
            out.add(event(c, "mem"));
        }
        return out;
    }

    private static double sum(List<Map<String, Object>> mems, String key) {
        return mems.stream().mapToDouble(m -> num(m, key)).sum();
    }

    private static double delta(List<Map<String, Object>> before, List<Map<String, Object>> after, String key) {
        return sum(after, key) - sum(before, key);
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double num(Map<String, Object> j, String key) {
        if (j.get(key) instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalStateException("no number '" + key + "' in " + j);
    }

    /** The next event line of this kind from the child; fails on an error line. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> event(ChildJvm c, String kind) throws Exception {
        String line = c.await(l -> l.startsWith("{") && (l.contains("\"event\":\"" + kind + "\"")
                || l.contains("\"event\":\"error\"")), STEP, kind);
        Map<String, Object> j = (Map<String, Object>) JsonValues.parseStrict(line);
        if ("error".equals(j.get("event"))) {
            throw new IOException(c.name() + ": " + j.get("what"));
        }
        return j;
    }

    // ---- a child: scale-node ----

    /**
     * One JVM of the network, driven by commands on stdin, one JSON line per answer:
     * {@code global <index> <seed|->} ({@code global} with its address), {@code gwait <n>} (until
     * every hosted global lists n in {@code 'g}), {@code leaves <count> <total> <seeds>}
     * ({@code started}, then {@code converged} once each leaf sees total entries in the family),
     * {@code links <k>} (each leaf calls k leaves of other JVMs: {@code linked}), {@code mem},
     * {@code reset} (closes every node). Ends when stdin closes.
     */
    static void node(List<String> argv, PrintStream out) throws Exception {
        Args a = Args.parse(argv, Map.of(), Map.of("proc", "0", "secret", "scale-secret"));
        int proc = a.integer("proc", 0);
        String secret = a.require("secret");
        List<Node> globalNodes = new ArrayList<>();
        List<Leaf> leaves = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int generation = 0;
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.trim().split(" ");
            try {
                switch (w[0]) {
                    case "global" -> {
                        NodeConfig.Builder b = NodeConfig.builder().nodeId("g" + generation + "-" + w[1])
                                .binds("127.0.0.1:0").secret(secret).global(true);
                        if (!w[2].equals("-")) {
                            b.seeds(w[2]);
                        }
                        Node g = Node.start(b.build());
                        globalNodes.add(g);
                        EchoNode.line(out, "event", "global", "addr", g.listenAddresses().get(0));
                    }
                    case "gwait" -> {
                        int n = Integer.parseInt(w[1]);
                        CountDownLatch all = new CountDownLatch(globalNodes.size());
                        List<Guard> guards = new ArrayList<>();
                        for (Node g : globalNodes) {
                            Once once = new Once(all);
                            guards.add(g.db().monitor("'g", (family, added, changed, deleted) ->
                                    once.check(family.size() >= n)));
                        }
                        boolean ok = all.await(STEP.toSeconds(), TimeUnit.SECONDS);
                        guards.forEach(Guard::close);
                        if (!ok) {
                            throw new TimeoutException("the globals did not list " + n + " globals in 'g");
                        }
                        EchoNode.line(out, "event", "gready");
                    }
                    case "leaves" -> startLeaves(out, proc, generation, secret, Integer.parseInt(w[1]),
                            Integer.parseInt(w[2]), List.of(w[3].split(",")), leaves);
                    case "links" -> links(out, proc, Integer.parseInt(w[1]), leaves);
                    case "mem" -> {
                        long ends = 0;
                        List<Node> all = new ArrayList<>(globalNodes);
                        leaves.forEach(l -> all.add(l.node));
                        for (Node n : all) {
                            ends += n.stats().links().stream().filter(LinkStats::up).count();
                        }
                        EchoNode.line(out, "event", "mem", "heap", Memory.heapAfterGc(), "rss", Memory.rss(),
                                "nodes", all.size(), "link_ends", ends);
                    }
                    case "reset" -> {
                        for (Leaf l : leaves) {
                            l.guard.close();
                            l.node.close(Duration.ZERO);
                        }
                        leaves.clear();
                        globalNodes.forEach(g -> g.close(Duration.ZERO));
                        globalNodes.clear();
                        generation++;
                        EchoNode.line(out, "event", "reset");
                    }
                    default -> EchoNode.line(out, "event", "error", "what", "unknown command " + line);
                }
            } catch (Exception e) {
                EchoNode.line(out, "event", "error", "what", line + ": " + e);
            }
        }
        leaves.forEach(l -> l.node.close(Duration.ZERO));
        globalNodes.forEach(g -> g.close(Duration.ZERO));
    }

    /** A leaf: its node, its registered port, and the watch of the family. */
    private record Leaf(Node node, PortId port, Guard guard, CompletableFuture<Map<String, Object>> full) {
    }

    private static void startLeaves(PrintStream out, int proc, int generation, String secret, int count, int total,
            List<String> seeds, List<Leaf> leaves) throws Exception {
        long first = 0;
        long last = 0;
        for (int i = 0; i < count; i++) {
            Node node = Node.start(NodeConfig.builder().nodeId("l" + generation + "-" + proc + "-" + i)
                    .secret(secret).seeds(seeds).workerThreads(1).build());
            PortId port = node.newPort((ctx, msg) -> ctx.send(PortId.parse(Context.text(msg, msg.size() - 1)), "pong"));
            CompletableFuture<Map<String, Object>> full = new CompletableFuture<>();
            Guard watch = node.db().monitor(FAMILY, (family, added, changed, deleted) -> {
                if (family.size() >= total) {
                    full.complete(family);
                }
            });
            node.db().register(FAMILY, port);
            leaves.add(new Leaf(node, port, watch, full));
            last = micros();
            if (i == 0) {
                first = last;
            }
        }
        EchoNode.line(out, "event", "started", "first", first, "last", last);
        CompletableFuture.allOf(leaves.stream().map(Leaf::full).toArray(CompletableFuture[]::new))
                .get(STEP.toSeconds(), TimeUnit.SECONDS);
        EchoNode.line(out, "event", "converged", "at", micros());
    }

    /** Each leaf calls {@code k} leaves of other JVMs (round-robin over the family's other ports). */
    private static void links(PrintStream out, int proc, int k, List<Leaf> leaves) throws Exception {
        long t0 = System.nanoTime();
        List<CompletableFuture<?>> calls = new ArrayList<>();
        AtomicInteger failed = new AtomicInteger();
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            Leaf l = leaves.get(i);
            List<String> others = new ArrayList<>();
            for (String key : l.full.get().keySet()) {
                PortId p = PortId.parse(key);
                if (!p.node().startsWith(l.node.id().substring(0, l.node.id().lastIndexOf('-') + 1))) {
                    others.add(key);
                }
            }
            Collections.sort(others);
            for (int j = 0; j < k && j < others.size(); j++) {
                PortId to = PortId.parse(others.get((i * k + j) % others.size()));
                calls.add(l.node.call(STEP.dividedBy(2), to, "ping").exceptionally(e -> {
                    if (failed.incrementAndGet() <= 3) {
                        synchronized (reasons) {
                            reasons.add(l.node.id() + " -> " + to + ": " + e);
                        }
                    }
                    return null;
                }));
            }
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(STEP.toSeconds(), TimeUnit.SECONDS);
        if (failed.get() > 0) {
            throw new IOException(failed.get() + " of " + calls.size() + " calls failed, first: " + reasons);
        }
        EchoNode.line(out, "event", "linked", "ms", (System.nanoTime() - t0) / 1e6, "calls", calls.size());
    }

    /** The wall clock in microseconds since the epoch (the same clock in every JVM of the machine). */
    private static long micros() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }

    /** Counts a latch down the first time a condition holds. Thread-safe. */
    private static final class Once {
        private final CountDownLatch latch;
        private boolean counted;

        Once(CountDownLatch latch) {
            this.latch = latch;
        }

        synchronized void check(boolean done) {
            if (!counted && done) {
                counted = true;
                latch.countDown();
            }
        }
    }
}
