package org.aemp.internal.net;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.aemp.BusyListener;
import org.aemp.Guard;
import org.aemp.KillReason;
import org.aemp.NodeListener;
import org.aemp.internal.SerialExecutor;

/**
 * Tells who wants to know that links came up or went down: observers inline (the global service,
 * which must see a change before any message of a new link), and {@code mon_nodes} listeners on a
 * worker, one at a time, in the order of the changes; and likewise when links turn busy or ready.
 * Thread-safe.
 */
final class NodeEvents {
    private final List<NodeListener> listeners = new CopyOnWriteArrayList<>();
    private final List<NodeListener> observers = new CopyOnWriteArrayList<>();
    private final List<BusyListener> busyListeners = new CopyOnWriteArrayList<>();
    private final SerialExecutor events;

    NodeEvents(Executor workers) {
        this.events = new SerialExecutor(workers);
    }

    Guard listen(NodeListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    Guard listenBusy(BusyListener listener) {
        busyListeners.add(listener);
        return () -> busyListeners.remove(listener);
    }

    /** The link to {@code node} turned busy, or ready again. */
    void busy(String node, boolean busy) {
        for (BusyListener l : busyListeners) {
            events.execute(() -> l.changed(node, busy));
        }
    }

    void observe(NodeListener observer) {
        observers.add(observer);
    }

    void up(String node) {
        changed(node, true, KillReason.NORMAL);
    }

    void down(String node, KillReason why) {
        changed(node, false, why);
    }

    private void changed(String node, boolean up, KillReason why) {
        for (NodeListener o : observers) {
            o.changed(node, up, why);
        }
        for (NodeListener l : listeners) {
            events.execute(() -> l.changed(node, up, why));
        }
    }
}
