package org.aemp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sixteen global nodes that know only one seed converge to a full mesh: every node links to every
 * other, and family {@code 'g} lists all sixteen everywhere. (The benchmarks module has a program
 * that measures how long this takes; no test asserts a time.)
 */
@Timeout(120)
class MeshTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @Test
    void sixteenGlobalNodesFormAFullMesh() throws Exception {
        int n = 16;
        Node first = nodes.listening("m0", b -> b.global(true).workerThreads(2));
        List<Node> all = new ArrayList<>(List.of(first));
        for (int i = 1; i < n; i++) {
            all.add(nodes.listening("m" + i, b -> b.global(true).workerThreads(2).seeds(first.listenAddresses())));
        }
        for (Node node : all) {
            awaitLinks(node, n - 1);
        }
        for (Node node : all) {
            assertThat(node.upNodes()).hasSize(n - 1);
            List<String> globals = node.db().keys("'g").get(30, TimeUnit.SECONDS);
            assertThat(globals).hasSize(n);
        }
    }

    /** Waits, on node events rather than a clock, until {@code node} has {@code links} links up. */
    static void awaitLinks(Node node, int links) {
        Probe<String> events = new Probe<>();
        try (Guard g = node.monitorNodes((other, up, reason) -> events.put(other))) {
            while (node.upNodes().size() < links) {
                events.next(Duration.ofSeconds(60));
            }
        }
    }
}
