package org.aemp;

/**
 * Told when a link to another node comes up or goes down (AEMP {@code mon_nodes}). Called on a
 * worker thread, one event at a time, in the order the events happened; should not block.
 */
@FunctionalInterface
public interface NodeListener {
    /**
     * @param node the other node
     * @param up true when a link came up, false when it went down
     * @param reason for a down, the {@code transport_error} reason; normal for an up
     */
    void changed(String node, boolean up, KillReason reason);
}
