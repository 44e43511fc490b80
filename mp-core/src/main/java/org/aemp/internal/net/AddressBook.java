package org.aemp.internal.net;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where other nodes listen: addresses given to this node directly, and a finder for the rest (the
 * global service asks its master, or looks in its database). Thread-safe.
 */
final class AddressBook {
    private final Map<String, List<String>> known = new ConcurrentHashMap<>();
    private final AddressFinder finder;

    AddressBook(AddressFinder finder) {
        this.finder = finder;
    }

    void add(String node, List<String> addresses) {
        known.put(node, List.copyOf(addresses));
    }

    /** The addresses given for {@code node}, or none. */
    List<String> known(String node) {
        return known.getOrDefault(node, List.of());
    }

    boolean contains(String node) {
        return known.containsKey(node);
    }

    /** The known addresses, or else what the finder finds (possibly nothing). */
    CompletableFuture<List<String>> lookup(String node) {
        List<String> addrs = known.get(node);
        return addrs != null && !addrs.isEmpty() ? CompletableFuture.completedFuture(addrs) : finder.find(node);
    }
}
