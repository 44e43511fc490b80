package org.aemp.internal.net;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Who may start a handshake with this node, and when. Accepted connections that have not yet
 * authenticated are counted, overall and per source address:
 * <ul>
 *   <li>beyond {@code maxPerAddress} from one address, a new connection is refused at once;
 *   <li>beyond {@code max} in all, the oldest unfinished one is dropped to make room, so that a
 *       flood of idle connections from many addresses cannot keep a real node out;
 *   <li>an address whose handshakes fail authentication waits before its next one: 50 ms after
 *       the first failure, doubling with each failure in a row up to {@code maxDelay}; a success,
 *       or {@link #FORGET_AFTER} without a failure, starts it over.
 * </ul>
 * It keeps a fixed amount of memory: at most {@code max} tickets and {@link #MAX_PENALTIES}
 * addresses with failures (the least recently failed are forgotten first).
 *
 * <p>Thread-safe.
 */
final class Admission {
    static final Duration FIRST_DELAY = Duration.ofMillis(50);
    static final Duration FORGET_AFTER = Duration.ofMinutes(1);
    static final int MAX_PENALTIES = 4096;

    private final int max;
    private final int maxPerAddress;
    private final long maxDelay;
    private final LongSupplier clock;
    private final LinkedHashSet<Ticket> open = new LinkedHashSet<>(); // guarded by this; oldest first
    private final Map<InetAddress, Integer> perAddress = new HashMap<>(); // guarded by this
    private final LinkedHashMap<InetAddress, Penalty> penalties =
            new LinkedHashMap<>(16, 0.75f, true) { // guarded by Admission.this; least recently used first
                @Override
                protected boolean removeEldestEntry(Map.Entry<InetAddress, Penalty> eldest) {
                    return size() > MAX_PENALTIES;
                }
            };

    /**
     * @param max handshakes under way at once
     * @param maxPerAddress handshakes under way at once from one address
     * @param maxDelay the longest wait after failed authentication
     * @param clock nanoseconds, as {@link System#nanoTime()}
     */
    Admission(int max, int maxPerAddress, Duration maxDelay, LongSupplier clock) {
        this.max = max;
        this.maxPerAddress = maxPerAddress;
        this.maxDelay = maxDelay.toNanos();
        this.clock = clock;
    }

    /**
     * Admits a connection from {@code source}, or returns null if that address has too many under
     * way. May drop the oldest connection under way (its {@code evicted} action runs, outside the
     * lock) to stay under the overall cap.
     *
     * @param evicted what to do if this connection is dropped later to make room
     */
    Ticket admit(InetAddress source, Runnable evicted) {
        Ticket ticket;
        Ticket dropped = null;
        synchronized (this) {
            int n = perAddress.getOrDefault(source, 0);
            if (n >= maxPerAddress) {
                return null;
            }
            if (open.size() >= max) {
                Iterator<Ticket> oldest = open.iterator();
                dropped = oldest.next();
                oldest.remove();
                release(dropped.source);
            }
            perAddress.merge(source, 1, Integer::sum);
            ticket = new Ticket(source, evicted, delay(source));
            open.add(ticket);
        }
        if (dropped != null) {
            dropped.evicted.run();
        }
        return ticket;
    }

    /** Handshakes under way now. */
    synchronized int open() {
        return open.size();
    }

    private long delay(InetAddress source) {
        Penalty p = penalties.get(source);
        if (p == null) {
            return 0;
        }
        if (clock.getAsLong() - p.lastFailure > FORGET_AFTER.toNanos()) {
            penalties.remove(source);
            return 0;
        }
        int doublings = Math.min(p.failures - 1, 30);
        return Math.min(maxDelay, FIRST_DELAY.toNanos() << doublings);
    }

    private void release(InetAddress source) {
        perAddress.computeIfPresent(source, (a, n) -> n == 1 ? null : n - 1);
    }

    /** One admitted connection until its handshake ends. */
    final class Ticket {
        final InetAddress source;
        private final Runnable evicted;
        private final long delayNanos;

        private Ticket(InetAddress source, Runnable evicted, long delayNanos) {
            this.source = source;
            this.evicted = evicted;
            this.delayNanos = delayNanos;
        }

        /** How long to wait before this handshake starts: the source's penalty for failed auth. */
        long delayNanos() {
            return delayNanos;
        }

        /**
         * The handshake ended: frees the slot and records the outcome for the source. Idempotent.
         *
         * @param authFailed true if the peer's token did not check out
         * @param authenticated true if it did
         */
        void done(boolean authFailed, boolean authenticated) {
            synchronized (Admission.this) {
                if (open.remove(this)) {
                    release(source);
                }
                if (authFailed) {
                    Penalty p = penalties.get(source);
                    long now = clock.getAsLong();
                    if (p == null || now - p.lastFailure > FORGET_AFTER.toNanos()) {
                        p = new Penalty();
                        penalties.put(source, p);
                    }
                    p.failures++;
                    p.lastFailure = now;
                } else if (authenticated) {
                    penalties.remove(source);
                }
            }
        }
    }

    /** Failed authentications in a row from one address. */
    private static final class Penalty {
        int failures;
        long lastFailure;
    }
}
