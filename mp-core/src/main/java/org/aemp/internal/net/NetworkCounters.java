package org.aemp.internal.net;

import java.util.concurrent.atomic.LongAdder;
import org.aemp.internal.Incidents;

/**
 * Failures counted across all of a node's connections, and where each one is told as it happens
 * ({@link Incidents}, for those with details worth a listener). Thread-safe.
 */
final class NetworkCounters {
    final LongAdder handshakeFailures = new LongAdder();
    final LongAdder authFailures = new LongAdder();
    final LongAdder decodeFailures = new LongAdder();
    final LongAdder refusedConnections = new LongAdder();
    final Incidents incidents;

    NetworkCounters(Incidents incidents) {
        this.incidents = incidents;
    }
}
