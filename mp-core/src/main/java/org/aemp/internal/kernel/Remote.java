package org.aemp.internal.kernel;

import java.util.List;

/**
 * The kernel's view of the network: where messages for other nodes go. Implemented by the link
 * layer; {@link #NONE} stands in until a network is attached (and on nodes with none).
 * Implementations are thread-safe and never block.
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

    /** True if a connection to {@code node} is established. */
    boolean isUp(String node);

    /** The ids of all nodes with an established connection. */
    List<String> upNodes();

    /** No network: every remote send fails at once with {@code no known address}. */
    Remote NONE = new Remote() {
        @Override
        public void send(String node, List<?> message) {
            // nothing can reach another node; the kernel fires that node's monitors
        }

        @Override
        public void sendIfUp(String node, List<?> message) {
        }

        @Override
        public boolean trySend(String node, List<?> message) {
            return true; // goes where send goes: nowhere, and the node's monitors fire
        }

        @Override
        public void whenReady(String node, Runnable ready) {
            ready.run();
        }

        @Override
        public boolean isUp(String node) {
            return false;
        }

        @Override
        public List<String> upNodes() {
            return List.of();
        }
    };
}
