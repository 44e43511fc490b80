package org.aemp.internal.global;

/**
 * Where the global service's node-port requests go: {@code [tag, args...]} to {@code node}. A
 * request to this node itself is handled at once, inside the current step, as Perl's local
 * delivery does: what a global node sends next (a {@code g_set}, say) already reflects it.
 * Confined to the global service's executor.
 */
@FunctionalInterface
interface Outbox {
    void send(String node, Object... message);
}
