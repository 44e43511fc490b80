package org.aemp.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.aemp.LinkStats;
import org.aemp.Node;
import org.aemp.NodeStats;

/**
 * Reads a node's stats for the meters, one snapshot for every meter read within a short time: a
 * scrape reads every meter in a row, and {@link Node#stats()} makes all links' numbers at once, so
 * without this a scrape of n links would cost n times n. Nothing is read while nobody scrapes.
 *
 * <p>Thread-safe.
 */
final class StatsReader {
    /** How long one snapshot serves: well under any scrape interval, well over one scrape. */
    static final long MAX_AGE_NANOS = 100_000_000L;

    /** A snapshot and its links by node id. */
    record Snapshot(NodeStats stats, Map<String, LinkStats> links) {
    }

    private final Node node;
    private final LongSupplier clock;
    private Snapshot snapshot; // guarded by this
    private long takenAt; // guarded by this

    StatsReader(Node node, LongSupplier clock) {
        this.node = node;
        this.clock = clock;
    }

    /** The current snapshot, taken now if the last one is older than {@link #MAX_AGE_NANOS}. */
    synchronized Snapshot read() {
        long now = clock.getAsLong();
        if (snapshot == null || now - takenAt >= MAX_AGE_NANOS) {
            NodeStats stats = node.stats();
            Map<String, LinkStats> links = new HashMap<>();
            for (LinkStats l : stats.links()) {
                links.put(l.node(), l);
            }
            snapshot = new Snapshot(stats, links);
            takenAt = now;
        }
        return snapshot;
    }

    /** Forgets the snapshot, so that the next read takes a fresh one. */
    synchronized void invalidate() {
        snapshot = null;
    }
}
