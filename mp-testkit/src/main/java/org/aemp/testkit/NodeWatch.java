package org.aemp.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import org.aemp.Guard;
import org.aemp.KillReason;
import org.aemp.Node;

/**
 * What one node sees of the others coming up and going down (AEMP {@code mon_nodes}), for a test
 * to wait on:
 *
 * <pre>{@code
 * NodeWatch seen = NodeWatch.of(net.node(0));
 * net.link(0, 1).cut();
 * KillReason why = seen.awaitDown(net.node(1).id());   // transport_error, with the cause
 * }</pre>
 *
 * Events are taken in the order they happened; each wait passes over events of other nodes, and
 * fails with an {@link AssertionError} that lists every event seen. The default wait is
 * {@link AempNetwork#DEFAULT_TIMEOUT}.
 *
 * <p>Thread-safe. The listener runs on a worker thread of the watching node and only records.
 */
public final class NodeWatch implements AutoCloseable {
    /** One change: {@code node} came up, or went down for {@code reason}. */
    public record Event(String node, boolean up, KillReason reason) {
        @Override
        public String toString() {
            return node + (up ? " up" : " down " + reason);
        }
    }

    private final Node watcher;
    private final Arrivals<Event> events = new Arrivals<>();
    private final Guard guard;

    private NodeWatch(Node watcher) {
        this.watcher = watcher;
        this.guard = watcher.monitorNodes((node, up, reason) -> events.add(new Event(node, up, reason)));
    }

    /** Starts watching what {@code node} sees. Events before this call are not seen. */
    public static NodeWatch of(Node node) {
        return new NodeWatch(requireNonNull(node, "node"));
    }

    /** Waits up to the default timeout for {@code node} to go down, and returns the reason. */
    public KillReason awaitDown(String node) {
        return awaitDown(node, AempNetwork.DEFAULT_TIMEOUT);
    }

    /** Waits up to {@code timeout} for {@code node} to go down, and returns the reason. */
    public KillReason awaitDown(String node, Duration timeout) {
        requireNonNull(node, "node");
        return events.await(timeout, e -> !e.up() && e.node().equals(node),
                watcher.id() + " seeing " + node + " go down").reason();
    }

    /**
     * Waits up to {@code timeout} until {@code node} is up as the watching node sees it: at once if
     * a link is up now, else when one comes up.
     */
    public void awaitUp(String node, Duration timeout) {
        requireNonNull(node, "node");
        if (watcher.upNodes().contains(node)) {
            return;
        }
        events.await(timeout, e -> e.up() && e.node().equals(node), watcher.id() + " seeing " + node + " come up");
    }

    /** Every event seen so far, in order. */
    public List<Event> events() {
        return events.all();
    }

    /** Stops watching; idempotent. */
    @Override
    public void close() {
        guard.close();
    }
}
