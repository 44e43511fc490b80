package org.aemp;

import java.util.List;

/**
 * Numbers to watch on one node: its links, its busy mailboxes and its failures. A snapshot,
 * from {@link Node#stats()}; immutable.
 *
 * @param links every other node this node knows now, with or without a link
 * @param busyMailboxes the local ports whose mailbox is over its threshold now
 * @param handshakeFailures handshakes that failed for the peer's fault (bad input, timeouts)
 * @param authFailures handshakes whose auth token did not check out
 * @param decodeFailures links that failed on input their framing could not decode
 * @param refusedConnections connections refused or dropped by the admission limits, and data
 *     connections refused (not awaited)
 */
public record NodeStats(List<LinkStats> links, List<Mailbox> busyMailboxes, long handshakeFailures,
        long authFailures, long decodeFailures, long refusedConnections) {

    public NodeStats {
        links = List.copyOf(links);
        busyMailboxes = List.copyOf(busyMailboxes);
    }

    /**
     * A local port's mailbox.
     *
     * @param port the port
     * @param messages messages waiting
     * @param bytes bytes waiting (counted for messages from other nodes)
     */
    public record Mailbox(PortId port, int messages, long bytes) {
    }
}
