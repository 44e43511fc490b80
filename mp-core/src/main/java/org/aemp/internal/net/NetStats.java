package org.aemp.internal.net;

import java.util.List;

/**
 * The network's numbers: every node it knows, the totals over all links it has had, and its
 * failure counts. A snapshot; the API's {@code NodeStats} says what each number means.
 */
public record NetStats(List<LinkCounts> links, long handshakeFailures, long authFailures, long decodeFailures,
        long refusedConnections, LinkCounts totals) {
}
