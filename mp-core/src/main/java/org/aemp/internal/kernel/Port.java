package org.aemp.internal.kernel;

/**
 * A port as the code that runs in it sees it: the receiving port of a {@link PortHandler}, the new
 * port of a spawn, or the node port for a function called through it. The API layer keeps its own
 * view of the port (its {@code Context}) as the port's {@linkplain #attachment() attachment}, made
 * on first use, so that a delivery allocates nothing.
 *
 * <p>{@link #sourceNode()} and the attachment are meaningful only on the thread running the
 * port's code; {@link #psub} may be called from any thread.
 */
public interface Port {

    /** The port's name on this node ({@code ""} for the node port). */
    String name();

    /** The node the message being handled came from (AEMP {@code $SRCNODE}); this node's id otherwise. */
    String sourceNode();

    /**
     * Wraps {@code block} so that running the result (on any thread) runs {@code block} later in
     * this port's context, serialized with its callbacks; not at all if the port is dead by then.
     */
    Runnable psub(Runnable block);

    /** What {@link #attach} stored, or null. */
    Object attachment();

    /** Stores an object of the caller's for this port (the API keeps its port context here). */
    void attach(Object attachment);
}
