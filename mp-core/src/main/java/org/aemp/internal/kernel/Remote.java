package org.aemp.internal.kernel;

import java.util.List;

/**
 * The kernel's view of the network: where messages for other nodes go. Implemented by the link
 * layer, the mirror of {@link Inbound}. Implementations are thread-safe and never block.
 */
public interface Remote {

    /**
     * Queues {@code message} ({@code [port name, elements...]}) for {@code node}, connecting on
     * demand. Messages to one node go out in the order of the calls. If the node cannot be reached,
     * the message is lost and the kernel is told through {@link Kernel#nodeDown}.
     */
    void send(String node, List<?> message);

    /**
     * Like {@link #send}, but only if the link to {@code node} can take it now: false, and nothing
     * queued, if the link (or the queue of a link being made) is busy.
     */
    boolean trySend(String node, List<?> message);

    /** Runs {@code ready} (on any thread) once the link to {@code node} is not busy; at once if it is not. */
    void whenReady(String node, Runnable ready);

    /** Like {@link #send}, but only if a connection to {@code node} is up; never connects. */
    void sendIfUp(String node, List<?> message);

    /** The ids of all nodes with an established connection. */
    List<String> upNodes();
}
