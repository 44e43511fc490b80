package org.aemp;

/**
 * Hears about a node's failures one by one, as they happen, with their details: a handshake that
 * failed through the peer's fault, a send that hit a link's backlog limit, a port killed for going
 * over its mailbox capacity. Meant for metrics and flight recording (mp-metrics uses it); the
 * counts of the same failures are in {@link Node#stats()}. Register with
 * {@link Node#monitorIncidents}; implement the methods of interest, the others do nothing.
 *
 * <p>Called on a worker thread, one call at a time, in the order of the incidents, in the same
 * queue as the node's {@link NodeListener} and {@link BusyListener} calls; should not block. Text
 * from peers (node ids, reasons) comes as received: escape it before logging it.
 */
public interface IncidentListener {
    /** Why a handshake failed (only failures that are the peer's fault are incidents). */
    enum HandshakeFault {
        /** The peer broke the protocol: garbage, a bad greeting, an over-long line, failed TLS. */
        PROTOCOL,
        /** The peer's auth token did not check out: a wrong secret, or an attack. */
        AUTH,
        /** The handshake did not finish within the handshake timeout. */
        TIMEOUT
    }

    /**
     * A handshake, of a link or of a data connection, failed; the connection is closed.
     *
     * @param node the node the peer claimed to be, or empty if it got no further than that
     * @param address the peer's address, {@code host:port}
     * @param fault what the peer did wrong
     * @param reason what went wrong, in words
     */
    default void handshakeFailed(String node, String address, HandshakeFault fault, String reason) {
    }

    /**
     * A plain send hit the backlog limit of the link to {@code node} (or of its queue while
     * connecting): the link fails and the node's monitors fire; for a link that was up, the
     * node-down ({@link Node#monitorNodes}) is told after this. Told once per link: the sends
     * that follow into the failing link are the same overflow.
     */
    default void linkOverflowed(String node, String reason) {
    }

    /**
     * Local {@code port} went over the capacity given by {@link Node#limitMailbox} and is being
     * killed with {@code mailbox_overflow}.
     */
    default void mailboxOverflowed(PortId port, String reason) {
    }
}
