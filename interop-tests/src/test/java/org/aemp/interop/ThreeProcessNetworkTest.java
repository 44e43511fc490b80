package org.aemp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.PortId;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A network of three processes: a global seed and a leaf in two child JVMs (JavaEchoNode, which
 * registers its #echo port in family interop_echo), and this JVM as a second leaf. The test finds
 * both echo ports through the database, reaches the leaf it has no link to through the seed's
 * address lookup, and sees a process's entries vanish when it dies.
 */
@Timeout(120)
class ThreeProcessNetworkTest {
    private static final Duration STARTUP = Duration.ofSeconds(60);

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @Test
    void threeProcessesFormOneNetwork() throws Exception {
        try (ChildProcess seed = ChildProcess.startJava("p-seed", JavaEchoNode.class, "nodeid=p-seed",
                "bind=127.0.0.1:0", "global=1")) {
            String seedAddress = seed.await(STARTUP, l -> l.startsWith("ready "), "ready").split(" ")[2];
            try (ChildProcess leaf = ChildProcess.startJava("p-leaf", JavaEchoNode.class, "nodeid=p-leaf",
                    "bind=127.0.0.1:0", "global=0", "seeds=" + seedAddress)) {
                leaf.await(STARTUP, l -> l.startsWith("ready "), "ready");
                Node me = nodes.start("p-test", b -> b.binds(List.of("127.0.0.1:0")).secret("interop-secret")
                        .seeds(List.of(seedAddress)));

                Probe<Map<String, Object>> group = new Probe<>();
                me.db().monitor(JavaEchoNode.GROUP, (family, added, changed, deleted) -> group.put(family));
                Map<String, Object> seen = group.next(STARTUP);
                while (seen.size() < 2) {
                    seen = group.next(STARTUP);
                }
                assertThat(seen).containsOnlyKeys("p-seed#echo", "p-leaf#echo");

                Probe<List<Object>> got = new Probe<>();
                PortId reply = me.newPort((ctx, m) -> got.put(m));
                me.send(PortId.parse("p-leaf#echo"), reply.toString(), "to the other leaf"); // found via the seed
                assertThat(got.next()).containsExactly("to the other leaf");
                me.send(PortId.parse("p-seed#echo"), reply.toString(), "to the seed");
                assertThat(got.next()).containsExactly("to the seed");
                assertThat(me.upNodes()).containsExactlyInAnyOrder("p-seed", "p-leaf");

                Probe<KillReason> down = new Probe<>();
                me.monitor(PortId.parse("p-leaf#echo"), down::put);
                leaf.kill();
                assertThat(down.next().values()).startsWith("transport_error", "p-leaf");
                while (!seen.keySet().equals(java.util.Set.of("p-seed#echo"))) {
                    seen = group.next(STARTUP); // the seed dropped the dead leaf's data
                }
                assertThat(me.db().keys(JavaEchoNode.GROUP).get(10, TimeUnit.SECONDS)).containsExactly("p-seed#echo");
            }
        }
    }
}
