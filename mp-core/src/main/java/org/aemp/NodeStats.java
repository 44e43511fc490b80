package org.aemp;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
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
 * @param totals what has crossed all links this node has had, including those to nodes that are no
 *     longer in {@code links} (a node's entry goes once it is down and nothing waits for it)
 */
public record NodeStats(List<LinkStats> links, List<Mailbox> busyMailboxes, long handshakeFailures,
        long authFailures, long decodeFailures, long refusedConnections, Totals totals) {

    public NodeStats {
        links = List.copyOf(links);
        busyMailboxes = List.copyOf(busyMailboxes);
        requireNonNull(totals, "totals");
    }

    /**
     * The sums over every link a node has had since it started: counts that only grow, whatever
     * nodes come and go (what metrics want). The parameters mean what they mean in {@link LinkStats}.
     */
    public record Totals(long messagesIn, long messagesOut, long bytesIn, long bytesOut, Duration busyTime,
            long refusals, long overflows) {
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
