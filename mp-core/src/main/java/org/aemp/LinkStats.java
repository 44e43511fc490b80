package org.aemp;

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
 */
public record LinkStats(String node, boolean up, String framing, long messagesIn, long messagesOut, long bytesIn,
        long bytesOut, long backlogBytes, boolean busy, Duration busyTime, long refusals, long overflows) {
}
