package org.aemp.internal.global;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;
import org.aemp.internal.net.NodeLinks;

/**
 * A global node's links to every other global node (NETWORK.md §4): each node of family
 * {@code 'g} is kept connected; one that is not is connected now, and again after 0.6 to 1.2 s,
 * doubling up to {@code monitor_timeout}, until it is.
 *
 * <p>Not thread-safe; confined to the global service's executor.
 */
final class Keepalive {
    /** The lower end of the random first delay (AEMP's {@code (1 + rand) * 0.3}, doubled before the first wait). */
    static final Duration RETRY_BASE = Duration.ofMillis(300);

    private final String self;
    private final NodeLinks links;
    private final Scheduler scheduler;
    private final BooleanSupplier closed;
    private final Backoff backoff;
    private final Map<String, Integer> kept = new HashMap<>(); // node -> how many times 'g lists it
    private final Set<String> down = new LinkedHashSet<>();
    private ScheduledFuture<?> timer;

    /**
     * @param monitorTimeout the longest delay between rounds
     * @param closed true once the node is closing: then nothing is connected any more
     */
    Keepalive(String self, NodeLinks links, Scheduler scheduler, Duration monitorTimeout, BooleanSupplier closed) {
        this.self = self;
        this.links = links;
        this.scheduler = scheduler;
        this.closed = closed;
        this.backoff = new Backoff(RETRY_BASE, monitorTimeout);
    }

    /** {@code node} appeared in family {@code 'g}: keep a link to it. */
    void add(String node) {
        if (node.equals(self) || kept.merge(node, 1, Integer::sum) > 1) {
            return;
        }
        if (!links.isUp(node)) {
            down.add(node);
            again();
        }
    }

    /** {@code node} left family {@code 'g}. */
    void remove(String node) {
        Integer n = kept.get(node);
        if (n == null) {
            return;
        }
        if (n > 1) {
            kept.put(node, n - 1);
            return;
        }
        kept.remove(node);
        down.remove(node);
        if (down.isEmpty()) {
            Scheduler.cancel(timer);
            timer = null;
        }
    }

    /** A link to {@code node} came up. */
    void linkUp(String node) {
        if (down.remove(node) && down.isEmpty()) {
            Scheduler.cancel(timer);
        }
    }

    /** The link to {@code node} went down: connect again if it is kept. */
    void linkDown(String node) {
        if (kept.containsKey(node)) {
            down.add(node);
            again();
        }
    }

    private void again() {
        backoff.reset();
        Scheduler.cancel(timer);
        all();
    }

    private void all() {
        timer = null;
        if (down.isEmpty() || closed.getAsBoolean()) {
            return;
        }
        for (String node : down) {
            links.connect(node);
        }
        timer = scheduler.schedule(backoff.next(), this::all);
    }

    /** Stops connecting (the node is closing). */
    void close() {
        Scheduler.cancel(timer);
    }
}
