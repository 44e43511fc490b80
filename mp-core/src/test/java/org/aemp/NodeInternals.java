package org.aemp;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.List;

/**
 * Test-only access below the API, for this library's own tests that must act where no user can:
 * drop every connection of a node as if its process died, run the handshake with recorded lines on
 * a channel made elsewhere, look into the address book. It sits in the test jar in package
 * {@code org.aemp}, so on the class path it reaches {@link Node}'s package-private network; on the
 * module path that package belongs to the named module {@code org.aemp.core}, and nothing outside
 * it can.
 */
public final class NodeInternals {
    private NodeInternals() {
    }

    /**
     * Closes every socket of {@code node} at once, as if its process had crashed: its links drop
     * (the other nodes' monitors fire with {@code transport_error}), none of its ports is killed.
     */
    public static void crash(Node node) {
        node.network().close(Duration.ZERO);
    }

    /**
     * Runs the AEMP handshake of {@code node} on {@code channel}, made elsewhere (an in-memory
     * channel of a transcript replay), as if it had been accepted or dialled, with this side's
     * greeting and nonce lines fixed ({@code fixedLines}) or made as usual (null).
     */
    public static void adopt(Node node, Channel channel, boolean outgoing, byte[][] fixedLines) {
        node.network().adopt(channel, outgoing, fixedLines);
    }

    /** The addresses {@code node}'s address book holds for {@code other} (given, not found). */
    public static List<String> knownAddresses(Node node, String other) {
        return node.network().knownAddresses(other);
    }
}
