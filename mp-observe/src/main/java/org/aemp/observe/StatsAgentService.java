package org.aemp.observe;

import java.util.List;
import org.aemp.Node;
import org.aemp.Service;

/**
 * The service {@value #NAME}: a node configured with it runs a {@link StatsAgent}, so observers see
 * the numbers of its links. Found by {@link java.util.ServiceLoader}. Stateless.
 */
public final class StatsAgentService implements Service {
    /** The name profiles use ({@code services} key). */
    public static final String NAME = "Aemp::Observe::";

    /** For {@link java.util.ServiceLoader}. */
    public StatsAgentService() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(Node node, List<Object> args) {
        StatsAgent.serve(node); // lives as long as the node
    }
}
