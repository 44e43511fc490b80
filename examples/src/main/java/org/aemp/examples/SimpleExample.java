package org.aemp.examples;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;

/**
 * The smallest program (Perl's {@code eg/simple_example}): one node, no network. It makes a port
 * that takes {@code test} messages, sends itself {@code ("test", 123)} and prints
 * {@code Ending with: 123} when the message arrives.
 *
 * <pre>{@code
 * examples/run SimpleExample
 * }</pre>
 */
public final class SimpleExample {
    private SimpleExample() {
    }

    /** Sends {@code ("test", data)} to a fresh port of {@code node} and completes with what arrived. */
    static CompletableFuture<Object> roundTrip(Node node, Object data) {
        CompletableFuture<Object> arrived = new CompletableFuture<>();
        PortId port = node.newPort();
        // runs on the port's worker thread
        node.receive(port, "test", (ctx, msg) -> arrived.complete(msg.get(0)));
        node.send(port, "test", data);
        return arrived;
    }

    /** Runs the example; takes no arguments. */
    public static void main(String[] argv) throws Exception {
        try (Node node = Node.start(NodeConfig.builder().nodeId("simple-example").binds(List.of()).build())) {
            System.out.println("Ending with: " + roundTrip(node, 123).get(5, TimeUnit.SECONDS));
        }
    }
}
