package org.aemp.internal.kernel;

import java.util.List;

/**
 * The network's view of the kernel: what arrives from other nodes. The mirror of {@link Remote}.
 * Implementations are thread-safe, never block and never run user code on the caller's thread.
 */
public interface Inbound {

    /**
     * One message from {@code source}: {@code [port name, elements...]}, on a network thread.
     *
     * @param bytes the message's encoded size, for the mailbox's byte count
     * @return null, or the destination if it is now over its threshold: the caller should stop
     *     reading from {@code source} until it is ready
     */
    Backpressure deliver(String source, List<Object> wire, int bytes);

    /**
     * The connection to {@code node} failed or could not be made: every monitor of that node's
     * ports fires with {@code reason}, a {@code transport_error} ({@link Reasons#transportError}).
     */
    void nodeDown(String node, List<Object> reason);
}
