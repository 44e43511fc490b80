package org.aemp.internal.net;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aemp.internal.SerialExecutor;
import org.aemp.internal.kernel.Reasons;

/**
 * Tells who wants to know that links came up or went down: the observer inline (the global
 * service, which must see a change before any message of a new link), and {@code mon_nodes}
 * listeners on a worker, one at a time, in the order of the changes; and likewise when links turn
 * busy or ready. Thread-safe.
 */
final class NodeEvents {
    private final List<LinkListener> listeners = new CopyOnWriteArrayList<>();
    private final List<LinkBusyListener> busyListeners = new CopyOnWriteArrayList<>();
    private final LinkListener observer;
    private final SerialExecutor events;

    /**
     * @param events runs the listeners, one at a time, in order (shared with the node's other events)
     * @param observer told inline, on the thread that notices the change; it must only hand the
     *     event on, never block or call back
     */
    NodeEvents(SerialExecutor events, LinkListener observer) {
        this.events = events;
        this.observer = observer;
    }

    Runnable listen(LinkListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    Runnable listenBusy(LinkBusyListener listener) {
        busyListeners.add(listener);
        return () -> busyListeners.remove(listener);
    }

    /** The link to {@code node} turned busy, or ready again. */
    void busy(String node, boolean busy) {
        for (LinkBusyListener l : busyListeners) {
            events.execute(() -> l.changed(node, busy));
        }
    }

    void up(String node) {
        changed(node, true, Reasons.NORMAL);
    }

    void down(String node, List<Object> why) {
        changed(node, false, why);
    }

    private void changed(String node, boolean up, List<Object> why) {
        observer.changed(node, up, why);
        for (LinkListener l : listeners) {
            events.execute(() -> l.changed(node, up, why));
        }
    }
}
