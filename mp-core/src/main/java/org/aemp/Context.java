package org.aemp;

import java.util.List;

/**
 * The port context in which callbacks run: which port is running (AEMP {@code $SELF}), on which
 * node, and where the current message came from (AEMP {@code $SRCNODE}). Passed explicitly to every
 * {@link Receiver}, {@link InitFunction} and {@link #psub psub} block instead of living in a global.
 *
 * <p>Thread-safe, except {@link #sourceNode()}, which is meaningful only inside a callback.
 */
public interface Context {

    /** The port whose code is running (AEMP {@code $SELF}). */
    PortId self();

    /** The node the port lives on. */
    Node node();

    /**
     * The id of the node the current message came from (AEMP {@code $SRCNODE}); this node's own id
     * for local deliveries. Meant for logging and debugging; valid only inside a callback.
     */
    String sourceNode();

    /**
     * AEMP {@code psub}: wraps {@code block} so that, whenever the returned runnable is run (from a
     * timer, an I/O callback, any thread), the block runs later in this port's context: on the
     * port's worker, never at the same time as another callback of the port, and with an exception
     * killing the port. If the port is dead by then, the block does not run.
     */
    Runnable psub(Runnable block);

    /** AEMP {@code snd}: sends a message; same as {@link Node#send(PortId, Object...)}. */
    default void send(PortId to, Object... message) {
        node().send(to, message);
    }

    /** AEMP {@code rcv $SELF, $cb}: replaces this port's default receiver. */
    default void receive(Receiver receiver) {
        node().receive(self(), receiver);
    }

    /** AEMP {@code rcv $SELF, tag => $cb}: registers the receiver of one tag on this port. */
    default Guard receive(String tag, Receiver receiver) {
        return node().receive(self(), tag, receiver);
    }

    /** AEMP {@code kil $SELF, @reason}: kills this port once the running callback returns. */
    default void kill(Object... reason) {
        node().kill(self(), reason);
    }

    /**
     * AEMP {@code mon $port} (the one-argument form): if {@code port} dies abnormally, this port is
     * killed with the same reason. A normal death does not spread.
     */
    default Guard link(PortId port) {
        return node().monitorKill(port, self());
    }

    /** Convenience for reading message elements: element {@code i} as text, Perl-style. */
    static String text(List<Object> message, int i) {
        Object v = message.get(i);
        return v == null ? "" : v.toString();
    }
}
