package org.aemp;

import static java.util.Objects.requireNonNull;

/**
 * Identifies a port: the node that owns it and the port's name there. The text form is
 * {@code node#name}, as in AEMP; the node's own port (the "node port" that carries kernel
 * requests) has the empty name. Immutable and thread-safe.
 *
 * <p>Port names are opaque: they are made by the owning node (or by a remote spawner) and never
 * reused while that node lives, so a stale id can never reach a new port.
 */
public record PortId(String node, String name) {

    /** Validates the parts: the node id must be non-empty and contain no {@code #}. */
    public PortId {
        requireNonNull(node, "node");
        requireNonNull(name, "name");
        if (node.isEmpty() || node.indexOf('#') >= 0) {
            throw new IllegalArgumentException(
                    "invalid node id '" + node + "': must be non-empty and contain no '#'");
        }
    }

    /**
     * Parses {@code node#name}. As in AEMP, a bare node id (no {@code #}) names that node's node port.
     *
     * @throws IllegalArgumentException if the node part is empty
     */
    public static PortId parse(String text) {
        int hash = requireNonNull(text, "text").indexOf('#');
        if (hash == 0 || text.isEmpty()) {
            throw new IllegalArgumentException("invalid port id '" + text + "': expected <node>#<port>");
        }
        return hash < 0 ? new PortId(text, "") : new PortId(text.substring(0, hash), text.substring(hash + 1));
    }

    /** The node port of {@code node}: the destination of kernel requests such as {@code mon1}. */
    public static PortId nodePort(String node) {
        return new PortId(node, "");
    }

    /** AEMP {@code node_of}: everything before the first {@code #}, or the whole text if there is none. */
    public static String nodeOf(String portOrNode) {
        int hash = requireNonNull(portOrNode, "portOrNode").indexOf('#');
        return hash < 0 ? portOrNode : portOrNode.substring(0, hash);
    }

    /** True for the node port (the empty name). */
    public boolean isNodePort() {
        return name.isEmpty();
    }

    /** The AEMP text form, {@code node#name}. */
    @Override
    public String toString() {
        return node + "#" + name;
    }
}
