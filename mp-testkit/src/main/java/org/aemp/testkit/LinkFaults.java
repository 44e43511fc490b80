package org.aemp.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.aemp.Node;

/**
 * Breaks the link between two nodes of an {@link AempNetwork} on purpose: the link runs through two
 * {@link TcpRelay}s, one for each node's dialling (whichever node connects, its bytes pass a relay),
 * and each method here acts on both.
 *
 * <pre>{@code
 * @RegisterExtension
 * final AempNetwork net = AempNetwork.builder().nodes(2).relay(0, 1)
 *         .configure(c -> c.livenessTimeout(Duration.ofSeconds(3))).build();
 *
 * net.link(0, 1).blackHole();   // both nodes see the other go down within the liveness timeout
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class LinkFaults {
    private final Node a;
    private final Node b;
    private final TcpRelay dialledByA; // to b
    private final TcpRelay dialledByB; // to a

    LinkFaults(Node a, Node b, TcpRelay dialledByA, TcpRelay dialledByB) {
        this.a = a;
        this.b = b;
        this.dialledByA = dialledByA;
        this.dialledByB = dialledByB;
    }

    /**
     * Resets both sides of the link's connection now, in the middle of whatever it carries, as a
     * pulled cable would: both nodes see it fail at once (their monitors of each other's ports
     * fire with {@code transport_error}) and connect again on their next send.
     */
    public void cut() {
        dialledByA.cut();
        dialledByB.cut();
    }

    /**
     * Resets the side of the node that dialled, and keeps the other side open and silent: the
     * other node holds a dead connection it cannot tell from an idle one (a crashed host, or a NAT
     * that forgot the connection).
     */
    public void resetDiallingSide() {
        dialledByA.resetClientSide();
        dialledByB.resetClientSide();
    }

    /**
     * Forwards nothing more either way and keeps the connections open, as when a host vanishes:
     * each node notices only through its liveness timeout
     * ({@link org.aemp.NodeConfig.Builder#livenessTimeout}), and then reports the other down.
     */
    public void blackHole() {
        dialledByA.blackHole();
        dialledByB.blackHole();
    }

    /** Holds everything that {@code from} sends to the other node until {@link #resume()}. */
    public void stall(Node from) {
        requireNonNull(from, "from");
        if (from == a) {
            dialledByA.stall(TcpRelay.Direction.TO_TARGET);
            dialledByB.stall(TcpRelay.Direction.TO_CLIENT);
        } else if (from == b) {
            dialledByB.stall(TcpRelay.Direction.TO_TARGET);
            dialledByA.stall(TcpRelay.Direction.TO_CLIENT);
        } else {
            throw new IllegalArgumentException("node " + from.id() + " is not on the link " + this);
        }
    }

    /** Forwards what {@link #stall} held, and everything after it. */
    public void resume() {
        dialledByA.resume();
        dialledByB.resume();
    }

    /** Forwards every chunk {@code delay} late, both ways (zero for none). */
    public void delay(Duration delay) {
        requireNonNull(delay, "delay");
        dialledByA.delay(delay);
        dialledByB.delay(delay);
    }

    /**
     * Ends the black hole for new connections, resumes what is stalled and ends the delay: the
     * nodes can link again. A connection black-holed before stays silent until a liveness
     * timeout closes it.
     */
    public void heal() {
        dialledByA.heal();
        dialledByB.heal();
    }

    /** How many connections the link's relays accepted: 1 for a link made once, more after reconnects. */
    public int connections() {
        return dialledByA.connections() + dialledByB.connections();
    }

    /** The relay that {@code node} dials to reach the other node, for faults of one dialling side. */
    public TcpRelay relayDialledBy(Node node) {
        if (node == a) {
            return dialledByA;
        }
        if (node == b) {
            return dialledByB;
        }
        throw new IllegalArgumentException("node " + requireNonNull(node, "node").id() + " is not on the link " + this);
    }

    void close() {
        dialledByA.close();
        dialledByB.close();
    }

    @Override
    public String toString() {
        return a.id() + " <-> " + b.id();
    }
}
