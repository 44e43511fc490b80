package org.aemp;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What has crossed the links to one other node, over every link it has had while this node knew
 * it (counts only grow). A snapshot; immutable.
 *
 * @param node the other node
 * @param up true if a link is up now
 * @param framing the framing this node sends on the link, or empty if none is up
 * @param messagesIn messages received
 * @param messagesOut messages queued for sending
 * @param bytesIn bytes received
 * @param bytesOut bytes handed to the socket
 * @param backlogBytes bytes queued and not yet taken by the socket (or, while connecting, about
 *     how many wait for the link)
 * @param busy true if the link is busy now (see {@link Node#trySend})
 * @param busyTime how long the link has been busy in all
 * @param refusals sends refused because the link was busy ({@link Node#trySend})
 * @param overflows times a send hit the backlog limit, failing the link
 * @param auth the auth method the peer used on the link that is up ({@code hmac_sha3_512},
 *     {@code tls_anon}, ...), or empty if none is up
 * @param tls true if the link that is up runs inside TLS
 * @param provider what the peer calls its implementation in its greeting ({@code provider=}, e.g.
 *     {@code AE-2.02} for Perl 2.02, {@code aemp-java-0.1.0}), or empty if no link is up; peer
 *     text, not checked
 */
public record LinkStats(String node, boolean up, String framing, long messagesIn, long messagesOut, long bytesIn,
        long bytesOut, long backlogBytes, boolean busy, Duration busyTime, long refusals, long overflows, String auth,
        boolean tls, String provider) {

    public LinkStats {
        requireNonNull(auth, "auth");
        requireNonNull(provider, "provider");
    }

    /** Stats without the link's auth method, TLS and provider (as before they were counted). */
    public LinkStats(String node, boolean up, String framing, long messagesIn, long messagesOut, long bytesIn,
            long bytesOut, long backlogBytes, boolean busy, Duration busyTime, long refusals, long overflows) {
        this(node, up, framing, messagesIn, messagesOut, bytesIn, bytesOut, backlogBytes, busy, busyTime, refusals,
                overflows, "", false, "");
    }
}
