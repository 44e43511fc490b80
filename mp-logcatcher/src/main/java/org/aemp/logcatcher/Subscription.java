package org.aemp.logcatcher;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.aemp.Guard;
import org.aemp.Node;
import org.aemp.PortId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One catcher that one serving node forwards to (one AEMP {@code connect}): its level, its bounded
 * queue, its send budget and its drop counter.
 *
 * <p>{@link #offer} runs on any thread that logs; {@link #drain} and the token bucket only on the
 * forwarder thread (one drain at a time, ensured by {@code scheduled}).
 */
final class Subscription {
    private static final Logger log = LoggerFactory.getLogger(LogForwarding.class);
    private static final long SECOND = 1_000_000_000L;

    final LogForwarding owner;
    final Node node;
    final PortId catcher;
    private final ForwardingLimits limits;
    private volatile int level; // 0 (nothing) to 9
    private final ArrayBlockingQueue<List<Object>> queue;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private double tokens; // forwarder thread only
    private long refilledAt; // forwarder thread only
    private volatile Guard monitor = Guard.none();
    private volatile ScheduledFuture<?> reporter;

    Subscription(LogForwarding owner, Node node, PortId catcher, int level, ForwardingLimits limits) {
        this.owner = owner;
        this.node = node;
        this.catcher = catcher;
        this.level = level;
        this.limits = limits;
        this.queue = new ArrayBlockingQueue<>(limits.queueCapacity());
        this.tokens = limits.recordsPerSecond();
        this.refilledAt = System.nanoTime();
    }

    int level() {
        return level;
    }

    void level(int level) {
        this.level = level;
        LogTap.recompute();
    }

    /** Starts the periodic drop report; the monitor guard is closed when this subscription ends. */
    void started(Guard monitor) {
        this.monitor = monitor;
        this.reporter = LogTap.every(this::report, limits.reportInterval().toNanos());
        if (closed.get()) {
            stop();
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Queues {@code record} if its level is wanted; any thread, never blocks. */
    void offer(List<Object> record, int recordLevel) {
        if (recordLevel > level || closed.get()) {
            return;
        }
        if (!queue.offer(record)) {
            dropped.incrementAndGet();
            owner.countDropped();
            return;
        }
        if (scheduled.compareAndSet(false, true)) {
            LogTap.schedule(this::drain, 0);
        }
    }

    /** Sends what the budget allows; reschedules itself for the rest. Forwarder thread only. */
    private void drain() {
        try {
            if (closed.get()) {
                return;
            }
            if (node.isClosed()) {
                owner.detach(this, "the node closed");
                return;
            }
            long now = System.nanoTime();
            int rate = limits.recordsPerSecond();
            tokens = Math.min(rate, tokens + (now - refilledAt) * (double) rate / SECOND);
            refilledAt = now;
            while (tokens >= 1) {
                List<Object> record = queue.poll();
                if (record == null) {
                    break;
                }
                tokens -= 1;
                node.send(catcher, record);
            }
        } finally {
            scheduled.set(false);
        }
        if (!queue.isEmpty() && !closed.get() && scheduled.compareAndSet(false, true)) {
            long wait = tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) * SECOND / limits.recordsPerSecond());
            LogTap.schedule(this::drain, wait);
        }
    }

    /** Logs the drops since the last report; forwarder thread. */
    private void report() {
        if (node.isClosed()) {
            owner.detach(this, "the node closed");
            return;
        }
        long n = dropped.getAndSet(0);
        if (n > 0) {
            log.warn("node {} dropped {} log records for catcher {}: its queue of {} records was full",
                    node.id(), n, catcher, limits.queueCapacity());
        }
    }

    /** Ends this subscription: no more records, no more reports. Idempotent. */
    boolean stop() {
        boolean first = closed.compareAndSet(false, true);
        monitor.close();
        ScheduledFuture<?> r = reporter;
        if (r != null) {
            r.cancel(false);
        }
        queue.clear();
        return first;
    }
}
