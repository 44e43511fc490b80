package org.aemp.internal.kernel;

/** A block run in a port's context, on its worker: psub and peval bodies, spawn init functions. */
@FunctionalInterface
public interface PortTask {
    void run(Port port) throws Exception;

    /** Called instead of {@link #run} if the port dies before the block's turn. */
    default void dropped() {
    }
}
