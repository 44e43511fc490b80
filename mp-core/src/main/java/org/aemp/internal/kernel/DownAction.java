package org.aemp.internal.kernel;

import java.util.List;

/**
 * Told once that a monitored port died (AEMP {@code mon $port, $cb}). Called on a worker, never
 * inside the call that killed the port; an exception is logged and ignored.
 */
@FunctionalInterface
public interface DownAction {

    /** @param reason why, as {@link Reasons} builds it; empty for a normal exit. Unmodifiable */
    void down(List<Object> reason);
}
