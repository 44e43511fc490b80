package org.aemp.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.aemp.Guard;
import org.aemp.Node;
import org.aemp.NodeConfig;

/**
 * How long a network of global nodes takes to converge: {@code n} global nodes (default 16) in
 * one JVM start on loopback, each knowing only the first as its seed, and the program reports the
 * time until every node has a link to every other and lists all of them in family {@code 'g}.
 * Prints one JSON line. Run:
 * <pre>{@code java -jar benchmarks/target/aemp-bench.jar mesh [n=16] [rounds=3]}</pre>
 */
public final class MeshConvergence {
    private MeshConvergence() {
    }

    public static void main(String[] argv) throws Exception {
        int n = 16;
        int rounds = 3;
        for (String a : argv) {
            if (a.startsWith("n=")) {
                n = Integer.parseInt(a.substring(2));
            } else if (a.startsWith("rounds=")) {
                rounds = Integer.parseInt(a.substring(7));
            }
        }
        List<Double> times = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            times.add(round(n));
        }
        StringBuilder json = new StringBuilder("{\"nodes\":").append(n).append(",\"converge_ms\":[");
        for (int i = 0; i < times.size(); i++) {
            json.append(i == 0 ? "" : ",").append(String.format("%.1f", times.get(i)));
        }
        System.out.println(json.append("]}"));
    }

    /** One network: starts n nodes, waits for a full mesh, returns the time in milliseconds. */
    private static double round(int n) throws IOException, InterruptedException {
        String secret = "mesh-" + System.nanoTime();
        List<Node> nodes = new ArrayList<>();
        List<Guard> guards = new ArrayList<>();
        CountDownLatch meshed = new CountDownLatch(n);
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
                boolean[] counted = {false};
                guards.add(node.monitorNodes((other, up, reason) -> {
                    synchronized (counted) {
                        if (!counted[0] && node.upNodes().size() == n - 1) {
                            counted[0] = true;
                            meshed.countDown();
                        }
                    }
                }));
            }
            if (!meshed.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no full mesh within 120 s");
            }
            for (Node node : nodes) {
                while (node.db().keys("'g").get(30, TimeUnit.SECONDS).size() < n) {
                    Thread.onSpinWait(); // the 'g family follows the links closely; ask again
                }
            }
            return (System.nanoTime() - start) / 1e6;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        } finally {
            guards.forEach(Guard::close);
            nodes.forEach(Node::close);
        }
    }
}
