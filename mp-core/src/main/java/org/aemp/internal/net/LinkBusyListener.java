package org.aemp.internal.net;

/** Hears that the link to a node turned busy (its backlog is above its threshold) or ready again. */
@FunctionalInterface
public interface LinkBusyListener {

    /**
     * @param node the node at the other end of the link
     * @param busy true when the link turned busy, false when it is ready again
     */
    void changed(String node, boolean busy);
}
