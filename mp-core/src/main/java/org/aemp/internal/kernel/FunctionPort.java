package org.aemp.internal.kernel;

/**
 * The port a function called through the node port runs in: the node port itself, with no
 * mailbox, so {@link #psub} runs the block at once. One per call.
 */
final class FunctionPort implements Port {
    private final String sourceNode;
    private Object attachment; // confined to the call's worker

    FunctionPort(String sourceNode) {
        this.sourceNode = sourceNode;
    }

    @Override
    public String name() {
        return "";
    }

    @Override
    public String sourceNode() {
        return sourceNode;
    }

    @Override
    public Runnable psub(Runnable block) {
        return block;
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }
}
