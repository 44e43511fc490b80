package org.aemp.internal.net;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import org.aemp.internal.SafeText;
import org.slf4j.Logger;

/**
 * Warnings about refused or failed connections, summarised: the first of a kind (a source address
 * and a reason) is logged at once; the same kind again within the interval is only counted, and
 * one line per kind with the count follows when the interval ends. So a thousand bad handshakes
 * make a few lines, not a thousand, and the log stays readable under attack. Peer text is escaped
 * ({@link SafeText}). It holds at most {@link #MAX_KINDS} kinds; beyond that, refusals are
 * counted under one catch-all kind.
 *
 * <p>Thread-safe.
 */
final class RefusalLog {
    static final int MAX_KINDS = 1024;

    private final Logger log;
    private final long intervalNanos;
    private final ScheduledExecutorService timer;
    private final Map<Kind, Count> counts = new LinkedHashMap<>(); // guarded by this
    private boolean flushScheduled; // guarded by this

    RefusalLog(Logger log, Duration interval, ScheduledExecutorService timer) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.timer = timer;
    }

    /**
     * Reports one refusal.
     *
     * @param source who was refused (an address, escaped for the log)
     * @param category what kind of refusal, a fixed text of ours (the key of the summary)
     * @param detail the whole log line of this refusal (may hold peer text; escaped)
     */
    void warn(Object source, String category, String detail) {
        Kind kind = new Kind(SafeText.escape(source), category);
        boolean first;
        synchronized (this) {
            if (!counts.containsKey(kind) && counts.size() >= MAX_KINDS) {
                kind = new Kind("(other sources)", "refusals");
            }
            Count c = counts.get(kind);
            first = c == null;
            if (first) {
                counts.put(kind, new Count());
            } else {
                c.suppressed++;
                c.lastDetail = detail;
            }
            scheduleFlush();
        }
        if (first) {
            log.warn("{}", SafeText.of(detail));
        }
    }

    private void scheduleFlush() {
        if (flushScheduled) {
            return;
        }
        try {
            timer.schedule(this::flush, intervalNanos, TimeUnit.NANOSECONDS);
            flushScheduled = true;
        } catch (RejectedExecutionException e) {
            // shutting down: the counts are lost with the node
        }
    }

    /** Logs one line per kind seen again during the interval, and starts a new interval. */
    void flush() {
        List<Map.Entry<Kind, Count>> repeated = new ArrayList<>();
        synchronized (this) {
            flushScheduled = false;
            for (Map.Entry<Kind, Count> e : counts.entrySet()) {
                if (e.getValue().suppressed > 0) {
                    repeated.add(Map.entry(e.getKey(), e.getValue()));
                }
            }
            counts.clear();
        }
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(intervalNanos));
        for (Map.Entry<Kind, Count> e : repeated) {
            log.warn("{} from {}: {} more in the last {} s; the last: {}", e.getKey().category, e.getKey().source,
                    e.getValue().suppressed, seconds, SafeText.of(e.getValue().lastDetail));
        }
    }

    private record Kind(String source, String category) {
    }

    private static final class Count {
        int suppressed;
        String lastDetail;
    }
}
