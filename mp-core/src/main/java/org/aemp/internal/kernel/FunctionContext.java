package org.aemp.internal.kernel;

import org.aemp.Context;
import org.aemp.Node;
import org.aemp.PortId;

/** The context of a function called through the node port: the node port itself, no mailbox. */
record FunctionContext(Kernel kernel, PortId self, String sourceNode) implements Context {

    @Override
    public Node node() {
        return kernel.node();
    }

    @Override
    public Runnable psub(Runnable block) {
        return block;
    }
}
