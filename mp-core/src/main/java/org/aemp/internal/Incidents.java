package org.aemp.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * Tells listeners of a node's rare failures as they happen: a handshake that failed, a link that
 * hit its backlog limit, a mailbox that went over its capacity. The counts of these are in the
 * node's stats; this is for whoever wants each one with its details at the time (metrics, flight
 * recording). The code that notices an incident, often on an event loop, only hands it to a
 * worker, and only if someone listens: with no listener, an incident costs a look at an empty list.
 *
 * <p>Thread-safe. Listeners are called on a worker, one call at a time, in the order of the
 * incidents, on the node's one queue of events ({@link #events()}), which the links' ups and downs
 * share: so a link's overflow is heard before the down it causes.
 */
public final class Incidents {
    /** Hears the incidents; called on a worker, one call at a time. Text from peers is raw: escape it to log it. */
    public interface Listener {
        /**
         * @param node the node the peer claimed to be, or empty if it said none
         * @param address the peer's address
         * @param fault {@code PROTOCOL}, {@code AUTH} or {@code TIMEOUT}
         * @param reason what went wrong
         */
        void handshakeFailed(String node, String address, String fault, String reason);

        /** A send hit the backlog limit of the link to {@code node} (or of its queue while connecting). */
        void linkOverflowed(String node, String reason);

        /** Local port {@code port} (its name) went over its mailbox capacity and is killed. */
        void mailboxOverflowed(String port, String reason);
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final SerialExecutor events;

    /** @param workers runs the listeners */
    public Incidents(Executor workers) {
        this.events = new SerialExecutor(workers);
    }

    /** The node's one queue of events for listeners: incidents, and links going up, down, busy and ready. */
    public SerialExecutor events() {
        return events;
    }

    /** @return removes the listener */
    public Runnable listen(Listener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * @param node the node the peer claimed to be, or null
     * @param address the peer's address ({@code host:port} if an {@link InetSocketAddress})
     */
    public void handshakeFailed(String node, Object address, String fault, String reason) {
        if (listeners.isEmpty()) {
            return;
        }
        String where = address instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() + ":" + a.getPort() : String.valueOf(address);
        for (Listener l : listeners) {
            events.execute(() -> l.handshakeFailed(node == null ? "" : node, where, fault, reason));
        }
    }

    public void linkOverflowed(String node, String reason) {
        for (Listener l : listeners) {
            events.execute(() -> l.linkOverflowed(node, reason));
        }
    }

    public void mailboxOverflowed(String port, String reason) {
        for (Listener l : listeners) {
            events.execute(() -> l.mailboxOverflowed(port, reason));
        }
    }
}
