package org.aemp.internal.net;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What has crossed the links to one node, over every link it has had: messages and bytes each
 * way, time spent busy, refusals and overflows. Kept by the node's entry in the connection table,
 * so the counts survive a reconnect while the entry lasts; when it leaves the table, they go to the
 * node's total ({@link Connections#totals}), which only grows, as metrics want.
 *
 * <p>Thread-safe.
 */
final class LinkCounters {
    final LongAdder messagesOut = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder messagesIn = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    /** Sends refused because the link was busy ({@code trySend}). */
    final LongAdder refusals = new LongAdder();
    /** Times the backlog limit was reached by a plain send (the link failed). */
    final LongAdder overflows = new LongAdder();
    private final AtomicLong busyNanos = new AtomicLong();
    private final AtomicLong busySince = new AtomicLong(); // 0: not busy

    void busy(boolean busy, long now) {
        if (busy) {
            busySince.compareAndSet(0, now == 0 ? 1 : now);
        } else {
            long since = busySince.getAndSet(0);
            if (since != 0) {
                busyNanos.addAndGet(now - since);
            }
        }
    }

    /** Adds these counts (busy time up to {@code now}) to {@code total}. */
    void addTo(LinkCounters total, long now) {
        total.messagesOut.add(messagesOut.sum());
        total.bytesOut.add(bytesOut.sum());
        total.messagesIn.add(messagesIn.sum());
        total.bytesIn.add(bytesIn.sum());
        total.refusals.add(refusals.sum());
        total.overflows.add(overflows.sum());
        total.busyNanos.addAndGet(busyNanos(now));
    }

    /** Time spent busy so far, including a busy spell still going on. */
    long busyNanos(long now) {
        long since = busySince.get();
        return busyNanos.get() + (since == 0 ? 0 : now - since);
    }
}
