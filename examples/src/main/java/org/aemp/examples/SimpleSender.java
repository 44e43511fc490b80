package org.aemp.examples;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.aemp.Guard;
import org.aemp.Node;
import org.aemp.PortId;

/**
 * Sends to every {@link SimpleReceiver} (Perl's {@code eg/simple_example_sender}): once a second
 * it looks up the ports in the database family {@value SimpleReceiver#GROUP} and sends each
 * {@code ("test", <unix time>)}, so receivers that join later get messages too.
 *
 * <pre>{@code
 * examples/run SimpleSender [configure arguments, e.g. seeds=127.0.0.1:4040 secret=...]
 * }</pre>
 * Runs until killed. As a {@link Guard}, closing it stops the rounds. Thread-safe.
 */
public final class SimpleSender implements Guard {
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final Node node;
    private final Duration interval;
    private final Object lock = new Object();
    /** The timer of the next round; guarded by {@code lock}. */
    private Guard next;
    /** Set by {@link #close()}; guarded by {@code lock}. */
    private boolean stopped;

    private SimpleSender(Node node, Duration interval) {
        this.node = node;
        this.interval = interval;
    }

    /**
     * Starts sending from {@code node}: the first round at once, then one every {@code interval}
     * after the last one's lookup answered. A round runs on a worker thread of the node.
     */
    public static SimpleSender start(Node node, Duration interval) {
        SimpleSender sender = new SimpleSender(node, interval);
        sender.round();
        return sender;
    }

    private void round() {
        node.db().keys(SimpleReceiver.GROUP).whenComplete((ports, error) -> {
            if (ports != null) {
                sendTo(ports);
            }
            synchronized (lock) {
                if (!stopped) {
                    next = node.after(interval, this::round);
                }
            }
        });
    }

    private void sendTo(List<String> ports) {
        long now = System.currentTimeMillis() / 1000;
        for (String port : ports) {
            node.send(PortId.parse(port), "test", now);
        }
    }

    /** Stops sending; idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            stopped = true;
            if (next != null) {
                next.close();
            }
        }
    }

    /** Runs the sender; see the class documentation. */
    public static void main(String[] argv) throws Exception {
        try (Node node = ExampleArgs.parse(argv).configure(); SimpleSender sending = start(node, INTERVAL)) {
            System.out.println("sending to every port in " + SimpleReceiver.GROUP + " every "
                    + INTERVAL.toSeconds() + " s");
            new CountDownLatch(1).await();
        }
    }
}
