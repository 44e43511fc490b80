package org.aemp.logcatcher;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The bounds that keep a slow, stalled or hostile catcher from costing a forwarding node memory
 * or time. Immutable.
 *
 * @param queueCapacity records waiting per catcher; when its queue is full, new records for it are
 *     dropped and counted
 * @param recordsPerSecond records sent per second per catcher at most (with bursts up to one
 *     second's worth); the rest wait in the queue
 * @param maxCatchers catchers one node serves at once; further {@code connect} requests are refused
 *     with a WARN
 * @param reportInterval how often dropped records are reported: one WARN per catcher per interval
 *     that had drops, naming the count
 */
public record ForwardingLimits(int queueCapacity, int recordsPerSecond, int maxCatchers, Duration reportInterval) {

    /** 1000 queued records, 1000 records/s, 16 catchers, a report every 10 s. */
    public static final ForwardingLimits DEFAULTS = new ForwardingLimits(1000, 1000, 16, Duration.ofSeconds(10));

    public ForwardingLimits {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, got " + queueCapacity);
        }
        if (recordsPerSecond < 1) {
            throw new IllegalArgumentException("recordsPerSecond must be at least 1, got " + recordsPerSecond);
        }
        if (maxCatchers < 1) {
            throw new IllegalArgumentException("maxCatchers must be at least 1, got " + maxCatchers);
        }
        requireNonNull(reportInterval, "reportInterval");
        if (reportInterval.isNegative() || reportInterval.isZero()) {
            throw new IllegalArgumentException("reportInterval must be positive, got " + reportInterval);
        }
    }
}
