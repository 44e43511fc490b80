package org.aemp.internal.kernel;

import java.util.List;

/**
 * Node-port requests that the layers above the kernel answer: the {@code g_*} requests of the
 * global service and the data-connection requests. They are handled on the thread that receives
 * them, in arrival order (a later request from the same node, {@code time} say, is answered after
 * it), unlike registered functions, which run on workers; so a handler must be quick, hand real
 * work on, never block and never run user code.
 */
public interface NodePortRequests {

    /** True if requests tagged {@code tag} are answered here (AEMP {@code can} asks). */
    boolean handles(String tag);

    /**
     * Answers one request from {@code source}; called only for tags it {@link #handles}.
     *
     * @throws RuntimeException for a malformed request, which is logged and otherwise ignored
     */
    void handle(String source, String tag, List<Object> args);
}
