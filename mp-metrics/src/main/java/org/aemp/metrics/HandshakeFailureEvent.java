package org.aemp.metrics;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code org.aemp.HandshakeFailure}: a handshake failed through the peer's fault.
 * Committed by {@link AempJfr}.
 */
@Name("org.aemp.HandshakeFailure")
@Label("AEMP Handshake Failure")
@Category({"AEMP", "Links"})
@Description("A handshake with a peer failed through the peer's fault; the connection was closed")
@StackTrace(false)
final class HandshakeFailureEvent extends Event {
    @Label("Node")
    @Description("This node's id")
    String node;

    @Label("Peer")
    @Description("The node the peer claimed to be, or empty")
    String peer;

    @Label("Address")
    @Description("The peer's address, host:port")
    String address;

    @Label("Fault")
    @Description("PROTOCOL, AUTH or TIMEOUT")
    String fault;

    @Label("Reason")
    String reason;
}
