package com.example.modular;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;

/** Two nodes on loopback with a shared secret: one answers a call from the other. */
public final class Exchange {
    private Exchange() {
    }

    /** Calls an echo port on node b from node a and returns the reply. */
    public static List<Object> callAcrossNodes() throws Exception {
        NodeConfig.Builder base = NodeConfig.builder().secret("modular-secret").binds("127.0.0.1:0");
        try (Node a = Node.start(base.nodeId("a").build());
             Node b = Node.start(base.nodeId("b").seeds(a.listenAddresses()).build())) {
            PortId echo = b.newPort((ctx, message) ->
                    ctx.node().send(PortId.parse((String) message.get(message.size() - 1)), "pong", message.get(0)));
            return a.call(Duration.ofSeconds(30), echo, "ping").get(30, TimeUnit.SECONDS);
        }
    }
}
