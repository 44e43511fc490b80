package org.aemp.internal.net;

import java.util.List;

/**
 * Hears that a link to another node came up or went down (AEMP {@code mon_nodes}).
 */
@FunctionalInterface
public interface LinkListener {

    /**
     * @param node the other node
     * @param up true when a link came up, false when it went down
     * @param reason for a down, the {@code transport_error} reason; empty for an up. Unmodifiable
     */
    void changed(String node, boolean up, List<Object> reason);
}
