package org.aemp.internal.net;

import java.util.concurrent.atomic.LongAdder;

/** Failures counted across all of a node's connections. Thread-safe. */
final class NetworkCounters {
    final LongAdder handshakeFailures = new LongAdder();
    final LongAdder authFailures = new LongAdder();
    final LongAdder decodeFailures = new LongAdder();
    final LongAdder refusedConnections = new LongAdder();
}
