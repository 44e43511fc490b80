package org.aemp.metrics;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;

/**
 * A program that runs a node without mp-metrics (though it is on the class path): two nodes on
 * loopback exchange a message, then close. {@link NoMetricsCostTest} runs it in a JVM of its own
 * and looks at the classes it loaded. Exits 0 if the message arrived.
 */
final class NodeAlone {
    private NodeAlone() {
    }

    public static void main(String[] args) throws Exception {
        NodeConfig.Builder base = NodeConfig.builder().binds(List.of("127.0.0.1:0")).secret("alone");
        try (Node a = Node.start(base.nodeId("alone-a").build());
                Node b = Node.start(base.nodeId("alone-b").build())) {
            CountDownLatch got = new CountDownLatch(1);
            PortId sink = b.newPort((ctx, m) -> got.countDown());
            a.connect(b.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
            a.send(sink, "hello");
            a.stats();
            if (!got.await(10, TimeUnit.SECONDS)) {
                System.exit(2);
            }
        }
    }
}
