package org.aemp.internal.net;

import java.util.List;

/**
 * The network's numbers: every node it knows, and its failure counts. A snapshot; the API's
 * {@code NodeStats} says what each number means.
 */
public record NetStats(List<LinkCounts> links, long handshakeFailures, long authFailures, long decodeFailures,
        long refusedConnections) {
}
