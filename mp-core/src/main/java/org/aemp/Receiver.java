package org.aemp;

import java.util.List;

/**
 * Handles the messages of a port: its default callback, or the callback of one tag (AEMP
 * {@code port { ... }} and {@code rcv $port, tag => sub { ... }}).
 *
 * <p>Called on a worker thread of the node, one message at a time per port: two callbacks of the
 * same port never overlap, and messages from one sender arrive in the order they were sent.
 * Callbacks of different ports run in parallel. A callback that blocks holds one worker thread;
 * for long blocking work, run it elsewhere and reply with a message.
 *
 * <p>Throwing kills the port with {@code ("die", message)}; the node is not affected.
 */
@FunctionalInterface
public interface Receiver {

    /**
     * Handles one message.
     *
     * @param ctx the port context: {@link Context#self()} is the receiving port (AEMP {@code $SELF})
     * @param message the message; for a tag callback, without the tag. Read-only: it may be the
     *     very list the sender passed
     * @throws Exception to kill the port with {@code ("die", exception message)}
     */
    void receive(Context ctx, List<Object> message) throws Exception;
}
