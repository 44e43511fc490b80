package org.aemp;

import org.aemp.internal.kernel.Port;
import org.aemp.internal.kernel.PortHandler;

/**
 * The {@link Context} of one port: made on the port's first callback and kept as the kernel
 * port's attachment, so that every later callback gets the same object and a delivery allocates
 * nothing. Also turns the user's callbacks into the kernel's, once, when they are registered.
 * Thread-safe as {@link Context} says.
 */
final class PortContext implements Context {
    private final Node node;
    private final Port port;
    private final PortId self;

    private PortContext(Node node, Port port) {
        this.node = node;
        this.port = port;
        this.self = new PortId(node.id(), port.name());
    }

    /** The context of {@code port}, made on first use; called on the thread running the port's code. */
    static Context of(Node node, Port port) {
        if (port.attachment() instanceof PortContext c) {
            return c;
        }
        PortContext c = new PortContext(node, port);
        port.attach(c);
        return c;
    }

    /** The kernel's form of a receiver. */
    static PortHandler handler(Node node, Receiver receiver) {
        return (port, message) -> receiver.receive(of(node, port), message);
    }

    /** The kernel's form of an init function (the same shape as a receiver). */
    static PortHandler handler(Node node, InitFunction function) {
        return (port, args) -> function.run(of(node, port), args);
    }

    @Override
    public PortId self() {
        return self;
    }

    @Override
    public Node node() {
        return node;
    }

    @Override
    public String sourceNode() {
        return port.sourceNode();
    }

    @Override
    public Runnable psub(Runnable block) {
        return port.psub(block);
    }

    @Override
    public String toString() {
        return "port " + self;
    }
}
