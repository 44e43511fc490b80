package org.aemp.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition that no callback announces (a count, a table entry, a mailbox), checking
 * it every 10 ms. It does not fail the test itself: the assertion after it says what was wrong.
 */
public final class Poll {
    private Poll() {
    }

    /** Returns as soon as {@code condition} holds, or after {@code patience}; whether it held. */
    public static boolean until(Duration patience, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
