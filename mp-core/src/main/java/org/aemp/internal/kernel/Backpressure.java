package org.aemp.internal.kernel;

/**
 * A destination that has more waiting than it should: a port whose mailbox is over its threshold.
 * Whoever feeds it should stop (the network stops reading the link the message came from) until
 * it is ready again. Thread-safe.
 */
public interface Backpressure {

    /**
     * Runs {@code ready} once the destination has worked its backlog down (or died); at once if it
     * already has. {@code ready} runs on whichever thread notices and must only hand off.
     */
    void whenReady(Runnable ready);
}
