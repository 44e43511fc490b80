package org.aemp;

/**
 * Told once that a monitored port has died (AEMP {@code mon $port, $callback}).
 *
 * <p>Called on a worker thread of the node, at most once per monitor, never inside the call that
 * killed the port. It is not serialized with any port's callbacks: to handle a death in a port's
 * context, use {@link Node#monitorSend} to send yourself a message instead. It should not block,
 * and should not throw (an exception is logged and otherwise ignored).
 */
@FunctionalInterface
public interface DownHandler {

    /**
     * Handles the death.
     *
     * @param reason why the port died; {@link KillReason#isNormal() normal} for a plain kill
     */
    void down(KillReason reason);
}
