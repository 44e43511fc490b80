package org.aemp.metrics;

import static java.util.Objects.requireNonNull;

import org.aemp.Guard;
import org.aemp.IncidentListener;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.PortId;

/**
 * Turns a node's link events and failures into JDK Flight Recorder events, so that a recording
 * shows them beside GC pauses, socket reads and thread states:
 *
 * <pre>{@code
 * Guard jfr = AempJfr.enable(node);   // jfr.close() stops
 * }</pre>
 *
 * <table>
 *   <caption>Events (category AEMP; every event has the field node, this node's id)</caption>
 *   <tr><th>name</th><th>fields</th><th>when</th></tr>
 *   <tr><td>{@code org.aemp.LinkUp}</td><td>peer</td><td>a link to another node came up</td></tr>
 *   <tr><td>{@code org.aemp.LinkDown}</td><td>peer, reason</td><td>it went down (its monitors fired)</td></tr>
 *   <tr><td>{@code org.aemp.HandshakeFailure}</td><td>peer (claimed, may be empty), address, fault
 *       ({@code PROTOCOL}, {@code AUTH}, {@code TIMEOUT}), reason</td>
 *       <td>a handshake failed through the peer's fault</td></tr>
 *   <tr><td>{@code org.aemp.Overflow}</td><td>kind ({@code link}, {@code mailbox}), where (the
 *       other node, or the port), reason</td>
 *       <td>a send hit a link's backlog limit (the link fails), or a port went over its mailbox
 *       capacity (it is killed)</td></tr>
 * </table>
 *
 * <p>The events are instant events without stack traces, committed on a node worker thread
 * right after the fact (a few microseconds later). While no recording has them enabled, an event
 * costs one check. They are enabled in the JDK's default and profile settings like any other
 * event; or name them: {@code jfr configure +org.aemp.LinkDown#enabled=true}, or
 * {@code Recording.enable("org.aemp.LinkDown")}.
 */
public final class AempJfr {
    private AempJfr() {
    }

    /**
     * Starts recording {@code node}'s events; independent of {@link AempMetrics}.
     *
     * @return a guard that stops it
     */
    public static Guard enable(Node node) {
        requireNonNull(node, "node");
        String self = node.id();
        Guard links = node.monitorNodes((peer, up, reason) -> linkChanged(self, peer, up, reason));
        Guard incidents = node.monitorIncidents(new IncidentListener() {
            @Override
            public void handshakeFailed(String peer, String address, HandshakeFault fault, String reason) {
                HandshakeFailureEvent e = new HandshakeFailureEvent();
                if (e.isEnabled()) {
                    e.node = self;
                    e.peer = peer;
                    e.address = address;
                    e.fault = fault.name();
                    e.reason = reason;
                    e.commit();
                }
            }

            @Override
            public void linkOverflowed(String peer, String reason) {
                overflow(self, OverflowEvent.LINK, peer, reason);
            }

            @Override
            public void mailboxOverflowed(PortId port, String reason) {
                overflow(self, OverflowEvent.MAILBOX, port.toString(), reason);
            }
        });
        return () -> {
            links.close();
            incidents.close();
        };
    }

    private static void linkChanged(String self, String peer, boolean up, KillReason reason) {
        if (up) {
            LinkUpEvent e = new LinkUpEvent();
            if (e.isEnabled()) {
                e.node = self;
                e.peer = peer;
                e.commit();
            }
        } else {
            LinkDownEvent e = new LinkDownEvent();
            if (e.isEnabled()) {
                e.node = self;
                e.peer = peer;
                // ("transport_error", node, text): the text says why
                e.reason = reason.values().size() == 3 ? String.valueOf(reason.values().get(2)) : reason.toString();
                e.commit();
            }
        }
    }

    private static void overflow(String self, String kind, String where, String reason) {
        OverflowEvent e = new OverflowEvent();
        if (e.isEnabled()) {
            e.node = self;
            e.kind = kind;
            e.where = where;
            e.reason = reason;
            e.commit();
        }
    }
}
