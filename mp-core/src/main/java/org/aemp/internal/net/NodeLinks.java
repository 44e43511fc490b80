package org.aemp.internal.net;

import java.util.concurrent.CompletableFuture;

/**
 * What the global service needs of the links: whether one is up, a dial to an address (a seed), a
 * connect to a node (keepalive). Implemented by {@link Network}; thread-safe, never blocks.
 */
public interface NodeLinks {

    /** True if a link to {@code node} is established. */
    boolean isUp(String node);

    /**
     * Connects to whatever node listens at {@code address}; completes with its id once the link
     * is up, or fails ({@link SelfLinkException} if it is this node).
     */
    CompletableFuture<String> dial(String address);

    /** Starts connecting to {@code node} if no link is up or being made. */
    void connect(String node);
}
