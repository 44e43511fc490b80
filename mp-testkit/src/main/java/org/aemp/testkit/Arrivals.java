package org.aemp.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What callbacks handed over, for a test thread to wait on: values are taken in arrival order, and
 * every value that arrived is remembered, so that a failed wait can say what came instead.
 *
 * <p>Thread-safe: callbacks {@link #add} on node threads, tests wait on their own thread.
 */
final class Arrivals<T> {
    private final List<T> all = new ArrayList<>(); // guarded by this
    private int taken; // guarded by this: values before it were returned, or skipped by a match

    /** Hands over a value (not null); never blocks. */
    synchronized void add(T value) {
        all.add(value);
        notifyAll();
    }

    /**
     * Waits for the next value that {@code wanted} accepts, skipping the others, and returns it.
     *
     * @throws AssertionError if none came within {@code timeout}: the message names {@code what}
     *     was expected and lists what arrived
     */
    synchronized T await(Duration timeout, Predicate<? super T> wanted, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int from = taken;
        while (true) {
            for (; from < all.size(); from++) {
                T v = all.get(from);
                if (wanted.test(v)) {
                    taken = from + 1;
                    return v;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(what + " did not arrive within " + describe(timeout) + "; arrived: "
                        + (all.isEmpty() ? "nothing" : all));
            }
            waitNanos(left);
        }
    }

    /**
     * Waits {@code period} and checks that nothing arrived after the values already taken.
     *
     * @throws AssertionError naming {@code what} and the value that came
     */
    synchronized void nothingWithin(Duration period, String what) {
        long deadline = System.nanoTime() + period.toNanos();
        while (all.size() == taken) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            waitNanos(left);
        }
        throw new AssertionError("expected no " + what + " within " + describe(period) + ", but got "
                + all.get(taken));
    }

    /** Every value that arrived so far, taken or not. */
    synchronized List<T> all() {
        return List.copyOf(all);
    }

    private void waitNanos(long nanos) {
        try {
            wait(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }

    /** {@code 5 s}, {@code 250 ms}: easier to read in a failure than {@code PT5S}. */
    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
