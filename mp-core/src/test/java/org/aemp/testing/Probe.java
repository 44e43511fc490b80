package org.aemp.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Collects values handed over from callbacks on other threads, for tests to wait on without
 * sleeping: {@link #next()} waits for the next one, {@link #nothingWithin} checks that none came.
 */
public final class Probe<T> {
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private static final Object NULL = new Object();

    /** Hands over a value (may be null). Thread-safe. */
    public void put(T value) {
        queue.add(value == null ? NULL : value);
    }

    /** Waits up to 10 s for the next value, failing the test if none comes. */
    public T next() {
        return next(Duration.ofSeconds(10));
    }

    @SuppressWarnings("unchecked")
    public T next(Duration timeout) {
        try {
            Object v = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(v).as("a value within " + timeout).isNotNull();
            return v == NULL ? null : (T) v;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Asserts that no value arrives within {@code d}. */
    public void nothingWithin(Duration d) {
        try {
            Object v = queue.poll(d.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(v).as("no value expected within " + d).isNull();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** True if nothing is waiting now. */
    public boolean isEmpty() {
        return queue.isEmpty();
    }
}
