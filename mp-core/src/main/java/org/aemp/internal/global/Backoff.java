package org.aemp.internal.global;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A retry delay as AEMP 2.02's retry loops keep it: {@link #reset} starts it at a random point of
 * {@code [base, 2 × base)}, and every {@link #next} doubles it, up to a cap. With a base of 0.6 s
 * (seeds) the first retry comes after 1.2 to 2.4 s; with 0.3 s (keepalive) after 0.6 to 1.2 s;
 * both stop growing at {@code monitor_timeout} (NETWORK.md §3, §4).
 *
 * <p>Not thread-safe; confined to the global service's executor.
 */
final class Backoff {
    private final Duration base;
    private final Duration cap;
    private Duration current;

    /**
     * @param base the lower end of the random start
     * @param cap the longest delay
     */
    Backoff(Duration base, Duration cap) {
        this.base = base;
        this.cap = cap;
        this.current = base;
    }

    /** Starts over at a random point of {@code [base, 2 × base)}. */
    void reset() {
        current = Duration.ofNanos(base.toNanos() + (long) (base.toNanos() * ThreadLocalRandom.current().nextDouble()));
    }

    /** Doubles the delay, up to the cap, and returns it: how long to wait before the next round. */
    Duration next() {
        Duration doubled = current.multipliedBy(2);
        current = doubled.compareTo(cap) <= 0 ? doubled : cap;
        return current;
    }
}
