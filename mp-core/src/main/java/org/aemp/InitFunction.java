package org.aemp;

import java.util.List;

/**
 * A function that remote nodes may run on this node by name: a spawn init function (AEMP
 * {@code spawn $node, "Pkg::init", @args}), or a function called through the node port
 * ({@code snd_to_func}). Only functions the application registered run; a name that comes off the
 * wire is never resolved by reflection.
 *
 * <p>For a spawn, {@link Context#self()} is the new port, and the function brings it to life by
 * registering receivers on it ({@link Context#receive(Receiver)}); it runs on the new port's worker
 * before any message for that port. Throwing kills the new port with {@code ("die", message)}. For
 * a plain function call, {@code self()} is this node's node port and the function runs on a worker
 * thread.
 */
@FunctionalInterface
public interface InitFunction {

    /**
     * Runs the function.
     *
     * @param ctx the port context of the new port (spawn) or of the node port (plain call)
     * @param args the arguments sent by the caller, read-only
     * @throws Exception to kill the spawned port with {@code ("die", message)}
     */
    void run(Context ctx, List<Object> args) throws Exception;
}
