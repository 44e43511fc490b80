package org.aemp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The code examples of the top-level README, run as written (printing replaced by a queue). */
@Timeout(60)
class ReadmeExamplesTest {

    @Test
    void theFirstExampleRuns() throws Exception {
        BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        try (Node node = Node.start(NodeConfig.builder().nodeId("demo").secret("s").binds(List.of()).build())) {
            PortId pong = node.newPort((ctx, msg) ->
                    ctx.send(PortId.parse((String) msg.get(msg.size() - 1)), "pong", msg.get(0)));
            PortId me = node.newPort((ctx, msg) -> out.add("got " + msg));
            node.monitor(pong, reason -> out.add("pong died: " + reason));
            node.send(pong, "ping", me.toString());
            List<Object> reply = node.call(Duration.ofSeconds(5), pong, "ping").get();
            assertThat(out.poll(10, TimeUnit.SECONDS)).isEqualTo("got [pong, ping]");
            assertThat(reply).containsExactly("pong", "ping");
        }
    }

    @Test
    void theNetworkExampleRuns() throws Exception {
        BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        NodeConfig.Builder base = NodeConfig.builder().secret("my-network-secret").binds("127.0.0.1:0");
        try (Node seed = Node.start(base.nodeId("seed").global(true).build())) {
            List<String> seeds = seed.listenAddresses();
            try (Node a = Node.start(base.nodeId("a").seeds(seeds).build());
                    Node b = Node.start(base.nodeId("b").seeds(seeds).build())) {
                PortId worker = a.newPort((ctx, msg) -> ctx.send(PortId.parse((String) msg.get(0)), "done", msg.get(1)));
                a.db().register("workers", worker);
                List<String> workers = b.db().keys("workers").get(10, TimeUnit.SECONDS);
                while (workers.isEmpty()) { // the registration travels a -> seed while b asks
                    workers = b.db().keys("workers").get(10, TimeUnit.SECONDS);
                }
                PortId reply = b.newPort((ctx, msg) -> out.add("b got " + msg));
                b.send(PortId.parse(workers.get(0)), reply.toString(), "job 1");
                assertThat(out.poll(10, TimeUnit.SECONDS)).isEqualTo("b got [done, job 1]");
            }
        }
    }
}
