package org.aemp.bench;

import java.io.IOException;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;
import org.aemp.Receiver;

/**
 * What an idle port costs: creates {@code n} ports (default 1,000,000) on a node of their own and
 * prints the heap used after full collections per port, one JSON line per kind of port:
 *
 * <pre>{@code java -jar aemp-bench.jar idle-ports [n=1000000] [kinds=receiver,bare] [rounds=2]}</pre>
 *
 * {@code receiver}: {@code newPort(receiver)} with one receiver shared by all ports (a port with a
 * callback, as most are); {@code bare}: {@code newPort()}, no callback. The program stores nothing
 * per port (each {@link PortId} is dropped at once: the node keeps its ports until they are
 * killed), so the growth of the heap between the collections before and after is the node's
 * alone. Separately, {@code portid_bytes} is what holding the ids would add: n ids kept in an
 * array, minus the empty array measured on its own. Each round uses a fresh node; the last round
 * counts (the first includes loading and compiling the code involved). Use a heap large enough
 * for the ports ({@code -Xmx2g} for a million).
 */
final class IdlePorts {
    static final Map<String, String> DEFAULTS = Map.of("n", "1000000", "kinds", "receiver,bare", "rounds", "2");
    private static final Receiver SHARED = (ctx, msg) -> { };

    private IdlePorts() {
    }

    /** Runs every kind; returns one JSON line per kind. */
    static List<String> run(List<String> argv) throws IOException {
        Args a = Args.parse(argv, Map.of(), DEFAULTS);
        int n = a.integer("n", 1);
        int rounds = a.integer("rounds", 1);
        List<String> kinds = a.list("kinds", "");
        List<String> lines = new ArrayList<>();
        for (String kind : kinds) {
            if (!kind.equals("receiver") && !kind.equals("bare")) {
                throw new IllegalArgumentException("unknown kind '" + kind + "' (receiver, bare)");
            }
            Map<String, Object> last = null;
            for (int r = 0; r < rounds; r++) {
                last = round(kind, n);
            }
            last.put("portid_bytes", Math.round(portIdBytes(n) * 10) / 10.0);
            last.put("load", Load.now());
            lines.add(JsonLine.of(last));
        }
        return lines;
    }

    private static Map<String, Object> round(String kind, int n) throws IOException {
        try (Node node = Node.start(NodeConfig.builder().nodeId("idle-ports").binds(List.of()).build())) {
            node.newPort(SHARED); // the port table and its code exist before the baseline
            long before = Memory.heapAfterGc();
            long t0 = System.nanoTime();
            boolean bare = kind.equals("bare");
            for (int i = 0; i < n; i++) {
                if (bare) {
                    node.newPort();
                } else {
                    node.newPort(SHARED);
                }
            }
            long createNanos = System.nanoTime() - t0;
            long after = Memory.heapAfterGc();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind);
            m.put("ports", n);
            m.put("heap_before_mb", Math.round(Memory.mb(before) * 10) / 10.0);
            m.put("heap_after_mb", Math.round(Memory.mb(after) * 10) / 10.0);
            m.put("bytes_per_port", Math.round((after - before) * 10.0 / n) / 10.0);
            m.put("create_ns_per_port", Math.round((double) createNanos / n));
            return m;
        }
    }

    /** Heap per PortId held by a caller: n ids in an array, minus the array alone. */
    private static double portIdBytes(int n) throws IOException {
        try (Node node = Node.start(NodeConfig.builder().nodeId("idle-ids").binds(List.of()).build())) {
            long base = Memory.heapAfterGc();
            PortId[] ids = new PortId[n];
            long withArray = Memory.heapAfterGc();
            for (int i = 0; i < n; i++) {
                ids[i] = node.newPort(SHARED);
            }
            long withPorts = Memory.heapAfterGc();
            Reference.reachabilityFence(ids); // held through the measurement above
            ids = null;
            long portsOnly = Memory.heapAfterGc(); // the same ports without the ids and the array
            return (double) (withPorts - withArray - (portsOnly - base)) / n;
        }
    }
}
