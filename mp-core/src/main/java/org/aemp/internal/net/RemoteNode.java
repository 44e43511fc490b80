package org.aemp.internal.net;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * What this node knows about one other node, as a state with explicit transitions (made by
 * {@link Connections}, under this object's lock):
 * <pre>
 *            send / keepalive                authenticated connection
 *   IDLE ───────────────────────► CONNECTING ─────────────────────────► UP
 *    ▲  ▲                             │ connect_interval passed             │ link lost, or replaced by a
 *    │  └── queue empty ── DOWN ◄─────┘   (messages dropped)               │ preferred connection
 *    │                      ▲  └── queue not empty ──► CONNECTING          │
 *    │                      └──────────────────────────────────────────────┘
 *    └─ (an authenticated connection goes straight to UP from IDLE or CONNECTING, and DOWN hands
 *        over to a waiting successor once the node's monitors have been told)
 * </pre>
 * Only authenticated connections move it; what a peer claims before it authenticates never does.
 * {@link #link} is also read without the lock on the send fast path.
 */
final class RemoteNode {
    enum State {
        /** No link and no attempt: a send starts one. */
        IDLE,
        /** Dialling the node's addresses until {@code connect_interval} passes; sends wait in the queue. */
        CONNECTING,
        /** A link is up: sends go straight to it. */
        UP,
        /** A link was lost or an attempt failed, and the node's monitors are being told; sends wait. */
        DOWN
    }

    final String id;
    State state = State.IDLE;
    volatile Link link;
    final ArrayDeque<List<?>> queue = new ArrayDeque<>();
    /** About how many bytes the queue holds (estimated: the framing is not known yet). */
    long queuedBytes;
    /** Waiting for the queue (or the link) to have room: run once it has, or once the node is given up. */
    final List<Runnable> readyWaiters = new ArrayList<>(0);
    /** Set when the entry leaves the table: whoever still holds it must look the node up again. */
    boolean removed;
    final LinkCounters counters = new LinkCounters();
    /** Our own dials to this node under way (on-demand ones from the start, others once the node answered). */
    final List<HandshakeHandler> dials = new ArrayList<>(1);
    /**
     * IDLE or CONNECTING: authenticated connections waiting because a dial of ours that outranks
     * them has sent its auth line (the node may take that one instead).
     */
    final List<HandshakeHandler> pending = new ArrayList<>(1);
    /** UP: an authenticated connection from the node, waiting while the link proves it is alive. */
    HandshakeHandler challenger;
    /** DOWN: an authenticated connection to put up once the down report is done. */
    HandshakeHandler successor;
    /** The address lookup of the current connect attempt, cancelled if the attempt gives up. */
    java.util.concurrent.CompletableFuture<List<String>> lookup;
    ScheduledFuture<?> deadline;
    ScheduledFuture<?> nextAddress;
    /**
     * CONNECTING: a dial of ours waits for a connection from the node that we have answered; it
     * goes ahead ({@link #resumeDial}) when that one ends or when {@link #inboundWait} fires.
     */
    ScheduledFuture<?> inboundWait;
    Runnable resumeDial;
    /** CONNECTING with {@link #pending} connections: when they stop waiting for our dials. */
    ScheduledFuture<?> pendingHold;
    /** This attempt has waited for an answered connection once already (it waits no more). */
    boolean waitedForAnswered;
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
        if (inboundWait != null) {
            inboundWait.cancel(false);
            inboundWait = null;
        }
        resumeDial = null;
        if (pendingHold != null) {
            pendingHold.cancel(false);
            pendingHold = null;
        }
    }

    @Override
    public String toString() {
        return "node " + org.aemp.internal.SafeText.escape(id);
    }
}
