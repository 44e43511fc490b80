package org.aemp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Partition and heal: a global node loses all its links (it crashes), comes back at the same
 * address, and the network's database and monitors follow.
 */
@Timeout(90)
class PartitionTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @Test
    void entriesBehindALostGlobalNodeVanishAndComeBackWhenItReturns() throws IOException {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // g1 must come back at the same address its leaf knows
        }
        String g1Address = "127.0.0.1:" + port;
        Node g1 = nodes.listening("g1", b -> b.binds(List.of(g1Address)).global(true));
        Node g2 = nodes.listening("g2", b -> b.global(true).seeds(List.of(g1Address)));
        Node a = nodes.listening("a", b -> b.seeds(List.of(g1Address)));
        Node b = nodes.listening("b", c -> c.seeds(g2.listenAddresses()));

        Probe<Map<String, Object>> seen = new Probe<>();
        b.db().monitor("service", (family, added, changed, deleted) -> seen.put(family));
        assertThat(seen.next()).isEmpty();
        PortId service = a.newPort((ctx, msg) -> { });
        a.db().register("service", service, "v");
        assertThat(seen.next()).containsOnlyKeys(service.toString());

        PortId onG1 = g1.newPort((ctx, msg) -> { });
        Probe<KillReason> down = new Probe<>();
        Probe<String> g1up = new Probe<>();
        b.monitorNodes((node, up, reason) -> {
            if (node.equals("g1") && up) {
                g1up.put(node);
            }
        });
        b.monitor(onG1, down::put); // b finds g1 through its master g2 and links to it
        g1up.next();

        NodeInternals.crash(g1); // g1 crashes: every link drops, its ports are not killed
        assertThat(seen.next()).as("a's entry went with g1").isEmpty();
        assertThat(down.next().values()).startsWith("transport_error", "g1");

        g1.close();
        Node g1again = nodes.listening("g1", c -> c.binds(List.of(g1Address)).global(true));
        // a reconnects to its seed and sends its database again; g1 and g2 swap data again
        Map<String, Object> back = seen.next();
        while (back.isEmpty()) {
            back = seen.next();
        }
        assertThat(back).containsOnlyKeys(service.toString());
        assertThat(g1again.isGlobal()).isTrue();
    }
}
