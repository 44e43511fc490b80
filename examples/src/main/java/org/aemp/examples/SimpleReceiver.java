package org.aemp.examples;

import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.aemp.Context;
import org.aemp.Node;
import org.aemp.PortId;

/**
 * Receives what {@link SimpleSender} sends (Perl's {@code eg/simple_example_receiver}): a port in
 * the database family {@value #GROUP} takes {@code ("test", data)} messages and prints
 * {@code Received data: <data>}. The entry goes away when the port or the node does.
 *
 * <pre>{@code
 * examples/run SimpleReceiver [configure arguments, e.g. seeds=127.0.0.1:4040 secret=...]
 * }</pre>
 * Runs until killed.
 */
public final class SimpleReceiver {
    /** The family receivers register in, shared with the Perl programs. */
    public static final String GROUP = "eg_receivers";

    private SimpleReceiver() {
    }

    /**
     * Makes the receiving port, registers it in {@value #GROUP} and hands each datum to
     * {@code out}, on the port's worker thread, one at a time.
     *
     * @return the port
     */
    public static PortId listen(Node node, Consumer<String> out) {
        PortId port = node.newPort();
        node.receive(port, "test", (ctx, msg) -> out.accept(Context.text(msg, 0)));
        node.db().register(GROUP, port);
        return port;
    }

    /** Runs the receiver; see the class documentation. */
    public static void main(String[] argv) throws Exception {
        try (Node node = ExampleArgs.parse(argv).configure()) {
            PortId port = listen(node, data -> System.out.println("Received data: " + data));
            System.out.println("receiving on " + port + " (" + String.join(",", node.listenAddresses()) + ")");
            new CountDownLatch(1).await();
        }
    }
}
