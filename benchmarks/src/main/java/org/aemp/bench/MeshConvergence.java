package org.aemp.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.aemp.Guard;
import org.aemp.Node;
import org.aemp.NodeConfig;

/**
 * How long a network of global nodes takes to converge: {@code n} global nodes (default 16, at
 * least 2) in one JVM start on loopback, each knowing only the first as its seed, and the program
 * reports the time until every node has a link to every other and lists all of them in family
 * {@code 'g} (watched with {@code db_mon}, not polled). Prints one JSON line,
 * {@code {"nodes":16,"converge_ms":[...]}}, one time per round. Run:
 * <pre>{@code java -jar benchmarks/target/aemp-bench.jar mesh [n=16] [rounds=3]}</pre>
 */
public final class MeshConvergence {
    private static final Map<String, String> DEFAULTS = Map.of("n", "16", "rounds", "3");
    private static final long LIMIT_SECONDS = 120;

    private MeshConvergence() {
    }

    public static void main(String[] argv) throws Exception {
        System.out.println(run(List.of(argv)));
    }

    /**
     * Runs the rounds and returns the JSON line (without the newline).
     *
     * @throws IllegalArgumentException for an argument other than {@code n=} or {@code rounds=}
     *     with an integer, for {@code n < 2} or {@code rounds < 1}
     */
    static String run(List<String> argv) throws IOException, InterruptedException {
        Args a = Args.parse(argv, Map.of(), DEFAULTS);
        for (String arg : argv) {
            String key = arg.substring(0, arg.indexOf('='));
            if (!DEFAULTS.containsKey(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' (mesh takes n= and rounds=)");
            }
        }
        int n = a.integer("n", 2);
        int rounds = a.integer("rounds", 1);
        StringBuilder json = new StringBuilder("{\"nodes\":").append(n).append(",\"converge_ms\":[");
        for (int r = 0; r < rounds; r++) {
            json.append(r == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.1f", round(n)));
        }
        return json.append("]}").toString();
    }

    /** One network: starts n nodes, waits for a full mesh, returns the time in milliseconds. */
    private static double round(int n) throws IOException, InterruptedException {
        String secret = "mesh-" + System.nanoTime();
        List<Node> nodes = new ArrayList<>();
        List<Guard> guards = new ArrayList<>();
        CountDownLatch meshed = new CountDownLatch(n);
        CountDownLatch listed = new CountDownLatch(n);
        long start = System.nanoTime();
        try {
            for (int i = 0; i < n; i++) {
                NodeConfig.Builder b = NodeConfig.builder().nodeId("mesh" + i).binds(List.of("127.0.0.1:0"))
                        .secret(secret).global(true).workerThreads(2);
                if (i > 0) {
                    b.seeds(nodes.get(0).listenAddresses());
                }
                Node node = Node.start(b.build());
                nodes.add(node);
                Once linked = new Once(meshed);
                guards.add(node.monitorNodes((other, up, reason) -> linked.check(() -> node.upNodes().size() == n - 1)));
                Once gFull = new Once(listed);
                guards.add(node.db().monitor("'g", (family, added, changed, deleted) -> gFull.check(
                        () -> family.size() >= n)));
            }
            if (!meshed.await(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no full mesh within " + LIMIT_SECONDS + " s");
            }
            if (!listed.await(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("family 'g did not list all " + n + " nodes everywhere within "
                        + LIMIT_SECONDS + " s");
            }
            return (System.nanoTime() - start) / 1e6;
        } finally {
            guards.forEach(Guard::close);
            nodes.forEach(Node::close);
        }
    }

    /** Counts a latch down the first time a condition holds. */
    private static final class Once {
        private final CountDownLatch latch;
        private boolean counted;

        Once(CountDownLatch latch) {
            this.latch = latch;
        }

        synchronized void check(BooleanSupplier done) {
            if (!counted && done.getAsBoolean()) {
                counted = true;
                latch.countDown();
            }
        }
    }
}
