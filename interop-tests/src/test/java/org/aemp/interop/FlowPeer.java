package org.aemp.interop;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.aemp.Context;
import org.aemp.LinkStats;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.NodeStats;
import org.aemp.PortId;

/**
 * The far side of the flow-control tests, run in a JVM of its own ({@link #main}): a node with a
 * port {@code #sink} that handles one message at a time, sleeping {@code sleep} ms for each (a slow
 * consumer), and counts what it got, and a port {@code #echo} that sends {@code (reply, @rest)}
 * back as {@code @rest}.
 *
 * <p>Arguments, {@code key=value}: {@code nodeid secret bind seeds sleep} (ms per message, default
 * 100). It prints {@code ready <node id> <address>}, then answers one command per stdin line:
 * <ul>
 *   <li>{@code mem}: {@code mem heap=<bytes used after GC> direct=<bytes> links=<nodes in the
 *       table> busy=<port:messages,...>} (see {@link #directMemory()});
 *   <li>{@code count}: {@code count n=<messages> last=<last sequence number> gaps=<times a number
 *       was not the last plus one> end=<the total an "end" message announced, or -1>};
 *   <li>{@code fast}: {@code #sink} stops sleeping; prints {@code fast};
 *   <li>{@code connect <address>}: connects to the node there; {@code connected <its id>};
 *   <li>{@code blast <node> <count>}: sends {@code <node>#sink} {@code count} messages
 *       {@code (0)}, {@code (1)}, ... as fast as it can and
 *       closes this node right after the last ({@code closing backlog=<bytes queued on links>}
 *       first): {@code blasted sent=<count> sendMillis=<ms>
 *       backlog=<bytes queued on links when close began> unsent=<what close returned>
 *       closeMillis=<ms>}.
 * </ul>
 * {@code #sink} takes {@code (seq, ...)} with an integer {@code seq} counting from 0, and
 * {@code ("end", total)}. The program ends when stdin closes.
 */
public final class FlowPeer {
    private static volatile long sleepMillis;
    private static final Object COUNT = new Object();
    private static long received; // guarded by COUNT
    private static long last = -1; // guarded by COUNT
    private static long gaps; // guarded by COUNT
    private static long end = -1; // guarded by COUNT

    private FlowPeer() {
    }

    /**
     * Direct memory in use in this JVM: what the JDK counts for direct buffers (the {@code direct}
     * buffer pool), or what Netty counts, if it counts more. Netty allocates its direct buffers,
     * pooled or not, through the JDK and may count them itself as well: the two count the same
     * memory (a sum would count it twice), but with no-cleaner buffers only Netty's count has them.
     */
    static long directMemory() {
        long jdk = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                jdk = pool.getMemoryUsed();
            }
        }
        return Math.max(jdk, PlatformDependent.usedDirectMemory());
    }

    /** What Netty's default allocator holds in direct memory (part of {@link #directMemory()}). */
    static long allocatorDirectMemory() {
        return ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p
                ? p.metric().usedDirectMemory() : -1;
    }

    /** Heap in use after full collections. */
    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void sink(Context ctx, List<Object> msg) throws InterruptedException {
        long pause = sleepMillis;
        if (pause > 0) {
            Thread.sleep(pause);
        }
        if (!msg.isEmpty() && "end".equals(msg.get(0))) {
            synchronized (COUNT) {
                end = ((Number) msg.get(1)).longValue();
            }
            return;
        }
        long seq = ((Number) msg.get(0)).longValue();
        synchronized (COUNT) {
            if (seq != last + 1) {
                gaps++;
            }
            last = seq;
            received++;
        }
    }

    private static String memLine(Node node) {
        long heap = heapAfterGc();
        NodeStats stats = node.stats();
        String busy = stats.busyMailboxes().stream()
                .map(m -> m.port().name() + ":" + m.messages())
                .collect(Collectors.joining(","));
        return "mem heap=" + heap + " direct=" + directMemory() + " allocator=" + allocatorDirectMemory()
                + " links=" + stats.links().size() + " busy=" + busy;
    }

    private static String countLine() {
        synchronized (COUNT) {
            return "count n=" + received + " last=" + last + " gaps=" + gaps + " end=" + end;
        }
    }

    /**
     * Sends {@code count} messages {@code (seq)} to {@code peer#sink} as fast as it can, and
     * closes this node at once, waiting up to 60 s for them to be sent. Prints
     * {@code closing backlog=<bytes>} as it begins to close.
     */
    private static String blast(Node node, String peer, int count) {
        PortId sink = new PortId(peer, "sink");
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            node.send(sink, i);
        }
        long t1 = System.nanoTime();
        long backlog = node.stats().links().stream().mapToLong(LinkStats::backlogBytes).sum();
        System.out.println("closing backlog=" + backlog);
        System.out.flush();
        long unsent = node.close(Duration.ofSeconds(60));
        long t2 = System.nanoTime();
        return "blasted sent=" + count + " sendMillis=" + (t1 - t0) / 1_000_000 + " backlog=" + backlog
                + " unsent=" + unsent + " closeMillis=" + (t2 - t1) / 1_000_000;
    }

    /** Runs the peer; see the class documentation. */
    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new HashMap<>(Map.of("nodeid", "flow", "bind", "127.0.0.1:0",
                "secret", "flow-secret", "sleep", "100"));
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                a.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
        }
        sleepMillis = Long.parseLong(a.get("sleep"));
        NodeConfig.Builder b = NodeConfig.builder()
                .nodeId(a.get("nodeid"))
                .binds(List.of(a.get("bind").split(",")))
                .secret(a.get("secret"));
        if (a.containsKey("seeds")) {
            b.seeds(List.of(a.get("seeds").split(",")));
        }
        try (Node node = Node.start(b.build())) {
            node.receive(new PortId(node.id(), "sink"), FlowPeer::sink);
            node.receive(new PortId(node.id(), "echo"), (ctx, msg) ->
                    ctx.send(PortId.parse(Context.text(msg, 0)), msg.subList(1, msg.size()).toArray()));
            System.out.println("ready " + node.id() + " " + String.join(",", node.listenAddresses()));
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                String[] words = line.trim().split(" ");
                String out = switch (words[0]) {
                    case "connect" -> "connected " + node.connect(words[1]).get(30, TimeUnit.SECONDS);
                    case "blast" -> blast(node, words[1], Integer.parseInt(words[2]));
                    case "mem" -> memLine(node);
                    case "count" -> countLine();
                    case "fast" -> {
                        sleepMillis = 0;
                        yield "fast";
                    }
                    default -> "unknown command " + line;
                };
                System.out.println(out);
                System.out.flush();
            }
            sleepMillis = 0; // so that closing does not wait for a backlog of slow messages
        }
    }
}
