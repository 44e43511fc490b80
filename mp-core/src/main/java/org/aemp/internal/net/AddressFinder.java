package org.aemp.internal.net;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Finds where a node listens when the address book does not know (the global service asks its
 * master, or looks in its database). The network cancels the future when it stops waiting.
 */
@FunctionalInterface
public interface AddressFinder {

    /** The addresses ({@code host:port}) of {@code node}; possibly none. Never blocks. */
    CompletableFuture<List<String>> find(String node);
}
