package org.aemp.internal.net;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * What this node knows about one other node: its link if one is up, the messages queued while a
 * connection is being made, and the handshakes in progress with it. Perl keeps the same per-node
 * object. All fields but {@link #link} are guarded by the object's lock; {@link #link} is also
 * read without it on the send fast path.
 */
final class RemoteNode {
    final String id;
    volatile Link link;
    final ArrayDeque<List<?>> queue = new ArrayDeque<>();
    final List<HandshakeHandler> handshakes = new ArrayList<>(2);
    /** True from the first queued message until a link is up or the attempt is given up. */
    boolean connecting;
    /** True while the down notice of a lost link is being dispatched: sends wait in the queue. */
    boolean reportingDown;
    /** Our own dial in progress, if any. */
    HandshakeHandler dialling;
    ScheduledFuture<?> deadline;
    ScheduledFuture<?> nextAddress;
    /** Incremented for every connect attempt, so stale timers of an older attempt do nothing. */
    int attempt;

    RemoteNode(String id) {
        this.id = id;
    }

    void cancelTimers() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        if (nextAddress != null) {
            nextAddress.cancel(false);
            nextAddress = null;
        }
    }

    @Override
    public String toString() {
        return "node " + id;
    }
}
