package org.aemp;

/**
 * Completes a {@link Node#call call} whose target port died, or whose node became unreachable,
 * before it replied. Carries the kill reason the monitor saw.
 */
public final class PortDownException extends AempException {
    private static final long serialVersionUID = 1L;
    private final transient KillReason reason;

    public PortDownException(PortId port, KillReason reason) {
        super("port " + port + " died before replying: " + reason);
        this.reason = reason;
    }

    /** Why the target port died. */
    public KillReason reason() {
        return reason;
    }
}
