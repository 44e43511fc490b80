package org.aemp.internal.global;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * Runs a task on the global service's executor after a delay. Returns null if the node is closing
 * (nothing is scheduled then).
 */
@FunctionalInterface
interface Scheduler {
    ScheduledFuture<?> schedule(Duration delay, Runnable task);

    /** Cancels {@code f}, if there is one. */
    static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
