package org.aemp.internal.kernel;

import java.util.List;

/**
 * The kernel's callback for code that runs in a port: a port's default or tag receiver, a spawn
 * init function, a function called through the node port. Called on a worker, one call at a time
 * per port; throwing kills the port with {@code ("die", message)} (a node-port function's
 * exception is logged).
 */
@FunctionalInterface
public interface PortHandler {

    /**
     * Handles one message (or a function's arguments).
     *
     * @param port the port the code runs in
     * @param message read-only; for a tag receiver, without the tag
     */
    void receive(Port port, List<Object> message) throws Exception;
}
