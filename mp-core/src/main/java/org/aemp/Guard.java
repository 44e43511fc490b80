package org.aemp;

/**
 * Cancels a registration when closed: a tag receiver, a monitor, a timer, a database entry. AEMP
 * returns guard objects for the same purpose. Closing is idempotent and never throws, so guards
 * work in try-with-resources. Thread-safe.
 */
@FunctionalInterface
public interface Guard extends AutoCloseable {

    /** Cancels the registration; does nothing if it was already cancelled or has already fired. */
    @Override
    void close();

    /** A guard that cancels nothing. */
    static Guard none() {
        return () -> { };
    }
}
