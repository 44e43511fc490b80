package org.aemp;

/**
 * Hears that the link to a node turned busy (more bytes queued for it than its busy threshold:
 * the node does not take them as fast as they come) or ready again (half of that or less). A
 * producer can slow down on busy and go on at ready; see {@link Node#trySend}.
 */
@FunctionalInterface
public interface BusyListener {

    /**
     * Called on a worker thread, one call at a time, in the order of the changes.
     *
     * @param node the node at the other end of the link
     * @param busy true when the link turned busy, false when it is ready again
     */
    void changed(String node, boolean busy);
}
