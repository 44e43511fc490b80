package org.aemp.internal.net;

import java.time.Duration;

/**
 * What has crossed the links to one other node, over every link it has had while this node knew
 * it (counts only grow). A snapshot; the API's {@code LinkStats} says what each number means.
 */
public record LinkCounts(String node, boolean up, String framing, long messagesIn, long messagesOut, long bytesIn,
        long bytesOut, long backlogBytes, boolean busy, Duration busyTime, long refusals, long overflows, String auth,
        boolean tls, String provider) {
}
