package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a user's first program does: two nodes on loopback that share a secret exchange a message. */
class TwoNodesTest {

    @Test
    @Timeout(60)
    void aMessageCrossesFromOneNodeToTheOther() throws Exception {
        NodeConfig.Builder base = NodeConfig.builder().secret("consumer-test-secret").binds("127.0.0.1:0");
        try (Node a = Node.start(base.nodeId("a").build());
             Node b = Node.start(base.nodeId("b").seeds(a.listenAddresses()).build())) {
            BlockingQueue<List<Object>> inbox = new ArrayBlockingQueue<>(1);
            BlockingQueue<String> senders = new ArrayBlockingQueue<>(1);
            PortId port = a.newPort((ctx, message) -> {
                senders.add(ctx.sourceNode());
                inbox.add(message);
            });

            b.send(port, "hello", 42);

            assertEquals(List.of("hello", 42), inbox.poll(30, TimeUnit.SECONDS));
            assertEquals("b", senders.poll());
            // and a call back the other way: b's port answers a
            PortId echo = b.newPort((ctx, message) ->
                    ctx.node().send(PortId.parse((String) message.get(message.size() - 1)), "pong", message.get(0)));
            assertEquals(List.of("pong", "ping"), a.call(Duration.ofSeconds(30), echo, "ping").get(30, TimeUnit.SECONDS));
        }
    }
}
