package org.aemp.internal.net;

import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.aemp.internal.SafeText;
import org.aemp.internal.kernel.Messages;
import org.aemp.internal.kernel.Inbound;
import org.aemp.internal.kernel.Reasons;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection table: every other node's {@link RemoteNode state} and every transition of it,
 * including the rule that keeps one link per pair of nodes.
 *
 * <p>One link per pair. Connections between two nodes are ranked the same way on both ends
 * ({@link Handshake.Rank}: the one dialled by the node with the smaller id first, then the one
 * with the larger dialler's nonce), so both ends keep the same one whatever order things happen
 * in. Before a peer authenticates, nothing it claims changes this table; its claim can only get
 * its own connection refused or paused ({@link #check}):
 * <ul>
 *   <li>refused, if a dial of ours to the node it names is under way and outranks it (both ends
 *       dialling at once: the other end keeps ours too);
 *   <li>paused, if we have a link to that node, until the link proves it is alive
 *       ({@link Link#proveAlive}): the node dials only when it has no link with us, so it is
 *       refused if the link answers (an impostor, or a second dial that crossed the first), and
 *       let on if it does not (the node lost the link without our noticing).
 * </ul>
 * Once authenticated ({@link #authenticated}):
 * <ul>
 *   <li>no link yet: the connection becomes the link, unless a dial of ours that outranks it has
 *       sent its auth line (the node may be taking that one): then it waits for that dial, for
 *       {@link #PENDING_HOLD} at most, and is taken instead if the dial has not finished by then
 *       ({@link #preferPending}). Our dials that have not sent their auth line yet are dropped,
 *       which the node cannot notice;
 *   <li>it outranks the link: it replaces the link (the node dialled again, so it lost the old
 *       one; the old link's monitors fire, so nothing is lost silently);
 *   <li>the link outranks it: the link must prove it is alive. If it answers, the new connection
 *       is not used; if not (the node lost the old connection without our noticing: a crash, a
 *       reset on one side, a NAT that forgot it), the new connection replaces it.
 * </ul>
 * So a node that reconnects is never locked out by a stale link, and a stranger without the
 * secret can neither refuse nor replace anyone's link. A claim we answered holds back our own
 * dial to the node it names ({@link #waitForAnswered}), for at most {@link #ANSWERED_WAIT}.
 *
 * <p>Thread-safe: each node's state is guarded by its {@link RemoteNode}'s lock; no callback runs
 * under it.
 */
final class Connections implements HandshakeHandler.Links {
    private static final Logger log = LoggerFactory.getLogger(Connections.class);
    /**
     * How long a link has to answer when a newer connection from its node is waiting: a few round
     * trips, and well under the default {@code connect_interval} (2 s), so that a node which lost
     * its side of a link gets back in with its first attempt.
     */
    static final Duration PROOF_OF_LIFE = Duration.ofSeconds(1);
    /**
     * How long after answering a connection from a node a dial of ours to that node waits for it:
     * the node's auth line is on its way before our answer (it needs only our greeting), so a real
     * node's connection authenticates well within this; a stranger's claim delays our dial by no
     * more than what is left of it, and an older claim not at all.
     */
    static final Duration ANSWERED_WAIT = Duration.ofMillis(500);
    /**
     * How long an authenticated connection from a node waits for a dial of ours that outranks it
     * before it is taken instead: the node has most likely put it up already (we answered it
     * first) and, when our dial reaches it, asks that connection for a sign of life, which we
     * must give well within {@link #PROOF_OF_LIFE} (see {@link #preferPending}).
     */
    static final Duration PENDING_HOLD = PROOF_OF_LIFE.dividedBy(2);
    /** Nodes without a link that the table holds at most (being connected, or reporting down). */
    static final int MAX_UNCONNECTED = 10_000;

    /** Makes a handshake for an on-demand dial to a node (the argument). */
    interface DialFactory {
        HandshakeHandler dial(String expectedNode);
    }

    private final String self;
    private final Inbound kernel;
    private final NodeEvents events;
    private final AddressBook addresses;
    private final Dialer dialer;
    private final EventLoopGroup timers;
    private final Duration connectInterval;
    private final Duration monitorTimeout;
    private final Link.Limits limits;
    private final DialFactory dials;
    private final RefusalLog refusals;
    private final Map<String, RemoteNode> nodes = new ConcurrentHashMap<>();
    /**
     * Connections from other nodes that we answered (our auth line went out, so the node may take
     * the connection as soon as it reads it) and that have not authenticated or ended yet, by the
     * node they claim. No more than the handshakes admitted at once: each leaves when its handshake
     * authenticates or ends, both reported on its event loop after the answer.
     */
    private final Map<String, List<Answered>> answered = new ConcurrentHashMap<>();

    /** A connection from {@code handshake}'s claimed node, answered at {@code nanos} (System.nanoTime). */
    private record Answered(HandshakeHandler handshake, long nanos) {
    }
    /** How many entries have a link up: the others count against {@link #MAX_UNCONNECTED}. */
    private final AtomicInteger upCount = new AtomicInteger();
    private final Function<Link, FrameHandler> frames;
    private final NetworkCounters failures;
    /** The counts of the entries that left the table; guarded by itself, so that {@link #totals} never goes back. */
    private final LinkCounters retired = new LinkCounters();
    private volatile boolean closed;

    Connections(String self, Inbound kernel, NodeEvents events, AddressBook addresses, Dialer dialer,
            EventLoopGroup timers, Duration connectInterval, Duration monitorTimeout, Link.Limits limits,
            DialFactory dials, RefusalLog refusals, Function<Link, FrameHandler> frames, NetworkCounters failures) {
        this.self = self;
        this.kernel = kernel;
        this.events = events;
        this.addresses = addresses;
        this.dialer = dialer;
        this.timers = timers;
        this.connectInterval = connectInterval;
        this.monitorTimeout = monitorTimeout;
        this.limits = limits;
        this.dials = dials;
        this.refusals = refusals;
        this.frames = frames;
        this.failures = failures;
    }

    // ---- sending (any thread) ----

    /**
     * The node's entry, made if it has none; null if the table is full of nodes not connected
     * (then {@code why} says so).
     */
    private RemoteNode node(String id) {
        RemoteNode rn = nodes.get(id); // the common case, without computeIfAbsent's locking
        if (rn != null) {
            return rn;
        }
        if (nodes.size() - upCount.get() >= MAX_UNCONNECTED) {
            return null;
        }
        return nodes.computeIfAbsent(id, RemoteNode::new);
    }

    /** Sends to {@code nodeId}, connecting on demand; see {@link org.aemp.internal.kernel.Remote#send}. */
    void send(String nodeId, List<?> message) {
        offer(nodeId, message, Link.Mode.SEND);
    }

    /** Like {@link #send}, but refused (false, nothing queued) if the link or its queue is busy. */
    boolean trySend(String nodeId, List<?> message) {
        return offer(nodeId, message, Link.Mode.TRY);
    }

    private boolean offer(String nodeId, List<?> message, Link.Mode mode) {
        while (true) {
            RemoteNode rn = node(nodeId);
            if (rn == null) {
                tableFull(nodeId);
                return true; // not queued, but the node's monitors fire: no silent hole
            }
            Link link = rn.link;
            if (link != null) {
                return link.write(message, mode) != Link.Outcome.REFUSED;
            }
            String overflow = null;
            int attempt;
            synchronized (rn) {
                if (rn.removed) {
                    continue; // left the table meanwhile: look again
                }
                if (rn.link != null) {
                    return rn.link.write(message, mode) != Link.Outcome.REFUSED;
                }
                if (closed) {
                    return true;
                }
                long size = Messages.estimateSize(message);
                if (mode == Link.Mode.TRY && rn.queuedBytes + size > limits.busyBytes() && rn.queuedBytes > 0) {
                    rn.counters.refusals.increment();
                    return false;
                }
                attempt = rn.attempt;
                if (rn.state == RemoteNode.State.CONNECTING && rn.queuedBytes > 0
                        && rn.queuedBytes + size > limits.limitBytes()) {
                    rn.counters.overflows.increment();
                    overflow = "backlog limit reached while connecting: about " + rn.queuedBytes + " bytes queued"
                            + " for node " + SafeText.escape(rn.id) + " (link_backlog_limit)";
                } else {
                    rn.queue.add(message);
                    rn.queuedBytes += size;
                    if (rn.state == RemoteNode.State.IDLE) {
                        startConnect(rn);
                    }
                }
            }
            if (overflow != null) {
                failures.incidents.linkOverflowed(rn.id, overflow);
                giveUp(rn, attempt, overflow); // the queued messages are lost: the node's monitors fire
            }
            return true;
        }
    }

    private void tableFull(String nodeId) {
        String reason = "too many nodes not connected (" + MAX_UNCONNECTED + "): not connecting to another";
        refusals.warn("table", "refused connects", "message for node " + nodeId + " dropped: " + reason);
        kernel.nodeDown(nodeId, Reasons.transportError(nodeId, reason));
    }

    /** Runs {@code ready} once {@code nodeId}'s link, or its queue while connecting, has room. */
    void whenReady(String nodeId, Runnable ready) {
        RemoteNode rn = nodes.get(nodeId);
        if (rn == null) {
            ready.run();
            return;
        }
        Link link;
        synchronized (rn) {
            link = rn.link;
            if (link == null && !rn.removed && rn.queuedBytes > limits.busyBytes() / 2) {
                rn.readyWaiters.add(ready);
                return;
            }
        }
        if (link != null) {
            link.whenReady(ready);
        } else {
            ready.run();
        }
    }

    /** Starts connecting to {@code nodeId} if no link is up or being made (keepalive of global nodes). */
    void connect(String nodeId) {
        RemoteNode rn = node(nodeId);
        if (rn == null) {
            return;
        }
        synchronized (rn) {
            if (rn.state == RemoteNode.State.IDLE && !closed && !rn.removed) {
                startConnect(rn);
            }
        }
    }

    void sendIfUp(String nodeId, List<?> message) {
        Optional<Link> link = link(nodeId);
        link.ifPresent(l -> l.write(message, Link.Mode.SEND));
    }

    Optional<Link> link(String nodeId) {
        RemoteNode rn = nodes.get(nodeId);
        return Optional.ofNullable(rn == null ? null : rn.link);
    }

    List<String> upNodes() {
        List<String> up = new ArrayList<>();
        for (RemoteNode rn : nodes.values()) {
            if (rn.link != null) {
                up.add(rn.id);
            }
        }
        return up;
    }

    boolean isKnown(String nodeId) {
        return nodes.containsKey(nodeId);
    }

    // ---- connecting on demand (guarded by the RemoteNode's lock) ----

    /** Starts an attempt (lock held): looks the node's addresses up and dials them in turn. */
    private void startConnect(RemoteNode rn) {
        rn.state = RemoteNode.State.CONNECTING;
        int attempt = ++rn.attempt;
        rn.waitedForAnswered = false;
        rn.deadline = timers.next().schedule(() -> giveUp(rn, attempt, "connect timeout"),
                connectInterval.toNanos(), TimeUnit.NANOSECONDS);
        CompletableFuture<List<String>> lookup = addresses.lookup(rn.id);
        rn.lookup = lookup;
        lookup.whenComplete((addrs, err) -> {
            if (err != null || addrs == null || addrs.isEmpty()) {
                giveUp(rn, attempt, "no known address");
            } else {
                tryAddress(rn, attempt, addrs, 0);
            }
        });
    }

    private void tryAddress(RemoteNode rn, int attempt, List<String> addrs, int index) {
        synchronized (rn) {
            if (rn.attempt != attempt || rn.state != RemoteNode.State.CONNECTING || index >= addrs.size()) {
                return;
            }
            for (HandshakeHandler d : rn.dials) {
                if (d.isConnected()) {
                    return; // a dial of ours is in its handshake: wait for it
                }
            }
            long wait = rn.waitedForAnswered ? 0 : answeredWait(rn.id);
            if (wait > 0) {
                waitForAnswered(rn, wait, () -> tryAddress(rn, attempt, addrs, index));
                return;
            }
            InetSocketAddress target;
            try {
                target = Dialer.resolveOne(addrs.get(index));
            } catch (IOException | IllegalArgumentException e) {
                log.debug("{}: skipping address {}: {}", rn, addrs.get(index), e.getMessage());
                timers.execute(() -> tryAddress(rn, attempt, addrs, index + 1));
                return;
            }
            HandshakeHandler h = dials.dial(rn.id);
            rn.dials.add(h);
            ChannelFuture connecting;
            try {
                connecting = dialer.connect(target, h);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return; // closing
            }
            connecting.addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    log.debug("{}: connect to {} failed: {}", rn, target, f.cause().getMessage());
                    dialEnded(rn, h);
                    tryAddress(rn, attempt, addrs, index + 1);
                }
            });
            if (index + 1 < addrs.size()) {
                rn.nextAddress = timers.next().schedule(() -> tryAddress(rn, attempt, addrs, index + 1),
                        pacing(addrs.size()), TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * Holds a dial back while the node is connecting to us and we have answered (lock held): the
     * node may be using that connection already, and a dial of ours could outrank it (if our id is
     * the smaller) and take its place on our side, losing what the node sent on it (PROTOCOL.md
     * §2: do not dial a node we are handshaking with). The dial goes ahead when that connection
     * ends without a link, or {@link #ANSWERED_WAIT} after we answered it, once per attempt.
     */
    private void waitForAnswered(RemoteNode rn, long nanos, Runnable dial) {
        log.debug("{}: waiting up to {} ms for its connection before dialling", rn, TimeUnit.NANOSECONDS.toMillis(nanos));
        rn.waitedForAnswered = true;
        rn.resumeDial = dial;
        rn.inboundWait = timers.next().schedule(() -> resumeDial(rn), nanos, TimeUnit.NANOSECONDS);
    }

    /** How long a dial to {@code node} should still wait for connections from it that we answered (0: none). */
    private long answeredWait(String node) {
        long[] newest = {Long.MIN_VALUE};
        answered.computeIfPresent(node, (k, l) -> { // under the map's lock for this node, as its writers
            for (Answered a : l) {
                newest[0] = Math.max(newest[0], a.nanos());
            }
            return l;
        });
        if (newest[0] == Long.MIN_VALUE) {
            return 0;
        }
        return Math.max(0, newest[0] + ANSWERED_WAIT.toNanos() - System.nanoTime());
    }

    private void resumeDial(RemoteNode rn) {
        Runnable dial;
        synchronized (rn) {
            dial = rn.resumeDial;
            rn.resumeDial = null;
            if (rn.inboundWait != null) {
                rn.inboundWait.cancel(false);
                rn.inboundWait = null;
            }
        }
        if (dial != null) {
            dial.run();
        }
    }

    /**
     * The gap before the next address: {@code connect_interval}, or less with many addresses
     * ({@code (monitor_timeout - connect_interval) / n}), never under 0.4 s, times 0.9 to 1.0.
     */
    private long pacing(int count) {
        double interval = connectInterval.toNanos();
        double spread = (monitorTimeout.toNanos() - connectInterval.toNanos()) / (double) count;
        if (spread > 0 && spread < interval) {
            interval = spread;
        }
        interval = Math.max(interval, 0.4e9);
        return (long) (interval * (0.9 + 0.1 * ThreadLocalRandom.current().nextDouble()));
    }

    private void giveUp(RemoteNode rn, int attempt, String reason) {
        if (preferPending(rn)) {
            return; // our dials did not finish, but the node's connection did
        }
        List<HandshakeHandler> abandoned;
        synchronized (rn) {
            if (rn.attempt != attempt || rn.state != RemoteNode.State.CONNECTING) {
                return;
            }
            rn.state = RemoteNode.State.DOWN;
            rn.cancelTimers();
            rn.queue.clear();
            rn.queuedBytes = 0;
            if (rn.lookup != null) {
                rn.lookup.cancel(false); // the global service forgets the lookup
                rn.lookup = null;
            }
            abandoned = new ArrayList<>(rn.dials);
            rn.dials.clear();
        }
        for (HandshakeHandler d : abandoned) {
            d.abort(reason);
        }
        log.debug("{}: giving up: {}", rn, reason);
        reportDown(rn, reason, false);
    }

    /**
     * Puts up the best connection from the node that waits for our dials, and drops those dials;
     * false if none waits (or the node is up or down meanwhile). Runs {@link #PENDING_HOLD} after
     * a connection began to wait, and when the attempt runs out of time.
     *
     * <p>Why not wait for our dial: we answered the node's connection before our dial's auth line
     * went out, so the node has usually put that connection up and is sending on it. When our dial
     * reaches it, it asks that connection for a sign of life ({@link #check}) and, hearing none
     * within {@link #PROOF_OF_LIFE}, takes our dial and drops the connection with what it sent
     * (reported, but lost). Held back here, the connection cannot answer; taken in time, it answers,
     * the node refuses our dial, and both ends keep the connection, with nothing lost. (Held
     * forever, as before, both dials could also stall until {@code connect_interval} ran out, the
     * node keeping a link we never read.)
     */
    private boolean preferPending(RemoteNode rn) {
        HandshakeHandler[] chosen = new HandshakeHandler[1];
        List<HandshakeHandler> refused = new ArrayList<>(1);
        List<HandshakeHandler> dropped;
        Link up;
        synchronized (rn) {
            rn.pendingHold = null;
            rn.pending.removeIf(p -> !p.channel().isActive());
            if (rn.pending.isEmpty() || rn.removed
                    || (rn.state != RemoteNode.State.CONNECTING && rn.state != RemoteNode.State.IDLE)) {
                return false;
            }
            dropped = new ArrayList<>(rn.dials);
            rn.dials.clear(); // none outranks the waiting connections now
            up = upFromPending(rn, chosen, refused);
        }
        log.debug("{}: taking its connection rather than waiting for our dial", rn);
        for (HandshakeHandler d : dropped) {
            d.abort("the node's own connection was taken");
        }
        refuseAll(refused, rn.id);
        announceUp(rn, chosen[0], up);
        return true;
    }

    // ---- handshakes (event loops) ----

    @Override
    public CompletionStage<String> check(String claimedNode, HandshakeHandler h) {
        if (closed) {
            return CompletableFuture.completedFuture("node " + SafeText.escape(self) + " is closing");
        }
        if (h.isOutgoing()) {
            // our own dial: the node that answers at the address we chose is the one we dialled
            RemoteNode rn = node(claimedNode);
            if (rn == null) {
                return CompletableFuture.completedFuture(null);
            }
            synchronized (rn) {
                if (rn.removed) {
                    return check(claimedNode, h);
                }
                if (rn.state == RemoteNode.State.UP) {
                    return CompletableFuture.completedFuture(
                            SafeText.escape(claimedNode) + " already connected, not connecting again.");
                }
                if (!rn.dials.contains(h)) {
                    rn.dials.add(h);
                }
                return CompletableFuture.completedFuture(null);
            }
        }
        RemoteNode rn = nodes.get(claimedNode); // a claim must not create an entry
        if (rn == null) {
            return CompletableFuture.completedFuture(null);
        }
        Link link;
        synchronized (rn) {
            if (!rn.dials.isEmpty() && self.compareTo(claimedNode) < 0) {
                // both ends dial at once; ours outranks this one on both ends
                return CompletableFuture.completedFuture("simultaneous connection with "
                        + SafeText.escape(claimedNode) + ": keeping the one dialled by " + SafeText.escape(self));
            }
            link = rn.link;
            if (link == null) {
                return CompletableFuture.completedFuture(null);
            }
        }
        // the node dials only when it has no link with us: this is refused only if our link is alive
        CompletableFuture<String> verdict = new CompletableFuture<>();
        link.proveAlive(PROOF_OF_LIFE, alive -> verdict.complete(alive
                ? "already connected to " + SafeText.escape(claimedNode) + " by a preferred link, which is alive"
                : null));
        return verdict;
    }

    @Override
    public void answered(String claimedNode, HandshakeHandler h) {
        Answered a = new Answered(h, System.nanoTime());
        answered.compute(claimedNode, (node, list) -> {
            List<Answered> l = list == null ? new ArrayList<>(1) : list;
            l.add(a);
            return l;
        });
    }

    @Override
    public void authenticated(HandshakeHandler h, Handshake.Peer peer) {
        if (!h.isOutgoing()) {
            forgetAnswered(peer.nodeId(), h); // the id its greeting claimed, now proven
        }
        if (closed) {
            refuse(h, "node " + self + " is closing");
            return;
        }
        RemoteNode rn = nodes.computeIfAbsent(peer.nodeId(), RemoteNode::new); // authenticated: never refused
        List<HandshakeHandler> refused = new ArrayList<>(1);
        Link up = null;
        Link replaced = null;
        Link probe = null;
        boolean retry = false;
        synchronized (rn) {
            rn.dials.remove(h);
            switch (rn.removed ? RemoteNode.State.IDLE : rn.state) {
                case IDLE, CONNECTING -> {
                    if (rn.removed) {
                        retry = true; // the entry left the table meanwhile: decide on a new one
                    } else if (outrankedByOwnDial(rn, peer.rank())) {
                        rn.pending.add(h); // the node may be taking our dial: wait for it, briefly
                        if (rn.pendingHold == null) {
                            rn.pendingHold = timers.next().schedule(() -> preferPending(rn),
                                    PENDING_HOLD.toNanos(), TimeUnit.NANOSECONDS);
                        }
                    } else {
                        up = goUp(rn, h, peer, refused);
                    }
                }
                case DOWN -> {
                    // the node's monitors are being told of its last link: go up right after
                    if (rn.successor == null || peer.rank().before(rn.successor.authenticatedPeer().rank())) {
                        addIfPresent(refused, rn.successor);
                        rn.successor = h;
                    } else {
                        refused.add(h);
                    }
                }
                case UP -> {
                    Link link = rn.link;
                    if (peer.rank().before(link.peer.rank())) {
                        replaced = link;
                        rn.link = null;
                        upCount.decrementAndGet();
                        rn.state = RemoteNode.State.DOWN;
                        addIfPresent(refused, rn.challenger);
                        rn.challenger = null;
                        rn.successor = h;
                    } else if (rn.challenger == null || peer.rank().before(rn.challenger.authenticatedPeer().rank())) {
                        addIfPresent(refused, rn.challenger);
                        rn.challenger = h;
                        probe = link;
                    } else {
                        refused.add(h);
                    }
                }
                default -> throw new IllegalStateException(rn.state.name());
            }
        }
        if (retry) {
            authenticated(h, peer);
            return;
        }
        refuseAll(refused, peer.nodeId());
        if (up != null) {
            announceUp(rn, h, up);
        }
        if (replaced != null) {
            String reason = "replaced by a newer connection from " + SafeText.escape(peer.nodeId())
                    + " (" + peer.rank() + ")";
            log.info("node {}: {}", SafeText.of(rn.id), reason);
            replaced.fail(reason);
            reportDown(rn, reason, true);
        }
        if (probe != null) {
            Link old = probe;
            log.debug("{}: a newer connection authenticated; asking the current link for a sign of life", rn);
            old.proveAlive(PROOF_OF_LIFE, alive -> challengeDecided(rn, old, h, alive));
        }
    }

    /** Drops an answered connection; true if it was the node's last one. */
    private boolean forgetAnswered(String claimedNode, HandshakeHandler h) {
        if (claimedNode == null) {
            return false;
        }
        boolean[] last = new boolean[1];
        answered.computeIfPresent(claimedNode, (node, list) -> {
            if (list.removeIf(a -> a.handshake() == h) && list.isEmpty()) {
                last[0] = true;
                return null;
            }
            return list;
        });
        return last[0];
    }

    private static void addIfPresent(List<HandshakeHandler> list, HandshakeHandler h) {
        if (h != null) {
            list.add(h);
        }
    }

    /** True if a dial of ours that outranks {@code rank} has sent its auth line (lock held). */
    private static boolean outrankedByOwnDial(RemoteNode rn, Handshake.Rank rank) {
        for (HandshakeHandler d : rn.dials) {
            Handshake.Rank ours = d.ownRank();
            if (d.authLineSent() && ours != null && ours.before(rank)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Re-decides the connections waiting for our dials, after one of them ended (lock held): the
     * best of them goes up if no remaining dial outranks it.
     */
    private Link upFromPending(RemoteNode rn, HandshakeHandler[] chosen, List<HandshakeHandler> refused) {
        rn.pending.removeIf(p -> !p.channel().isActive());
        if (rn.pending.isEmpty() || rn.state == RemoteNode.State.UP || rn.state == RemoteNode.State.DOWN) {
            return null;
        }
        HandshakeHandler best = null;
        for (HandshakeHandler p : rn.pending) {
            if (best == null || p.authenticatedPeer().rank().before(best.authenticatedPeer().rank())) {
                best = p;
            }
        }
        if (outrankedByOwnDial(rn, best.authenticatedPeer().rank())) {
            return null;
        }
        chosen[0] = best;
        return goUp(rn, best, best.authenticatedPeer(), refused);
    }

    private void challengeDecided(RemoteNode rn, Link old, HandshakeHandler challenger, boolean alive) {
        synchronized (rn) {
            if (rn.challenger != challenger) {
                return; // decided otherwise meanwhile (the link was lost, or a better challenger came)
            }
            rn.challenger = null;
            if (!alive && rn.link == old) {
                rn.link = null;
                upCount.decrementAndGet();
                rn.state = RemoteNode.State.DOWN;
                rn.successor = challenger;
            } else if (!alive) {
                return; // the old link is gone already and its report hands over to the challenger
            }
        }
        if (alive) {
            refuse(challenger, "the current link with " + old.node + " is alive");
            return;
        }
        String reason = "no sign of life within " + PROOF_OF_LIFE.toMillis() + " ms after the node connected again"
                + " (the link was stale)";
        log.info("node {}: link replaced: {}", SafeText.of(rn.id), reason);
        old.fail(reason);
        reportDown(rn, reason, true);
    }

    @Override
    public void ended(HandshakeHandler h, String claimedNode, String reason, Handshake.Fault fault) {
        String node = h.expectedNode() != null ? h.expectedNode() : claimedNode;
        RemoteNode rn = node == null ? null : nodes.get(node);
        if (rn != null && h.isOutgoing()) {
            dialEnded(rn, h); // the next address, or the deadline, carries on
        }
        if (!h.isOutgoing() && forgetAnswered(claimedNode, h) && rn != null) {
            resumeDial(rn); // a dial may have waited for this connection
        }
        if (h.dialed != null) {
            if (claimedNode != null && claimedNode.equals(self)) {
                h.dialed.completeExceptionally(new SelfLinkException(reason));
            } else if (claimedNode != null && link(claimedNode).isPresent()) {
                h.dialed.complete(claimedNode); // whoever dialled this address wanted that node: it is up
            } else {
                h.dialed.completeExceptionally(new IOException("handshake failed: " + reason));
            }
        }
        Object address = h.remoteAddress();
        Object who = address instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : address;
        String line = "handshake with " + (claimedNode == null ? "" : "node " + claimedNode + " at ") + address
                + " failed: " + reason;
        switch (fault) {
            case AUTH -> {
                failures.authFailures.increment();
                refusals.warn(who, "failed authentications", line);
            }
            case PROTOCOL -> {
                failures.handshakeFailures.increment();
                refusals.warn(who, "failed handshakes", line);
            }
            case TIMEOUT -> {
                failures.handshakeFailures.increment();
                refusals.warn(who, "handshake timeouts", line);
            }
            default -> {
                log.debug("{}", SafeText.of(line));
                return; // no fault of the peer's: not an incident
            }
        }
        failures.incidents.handshakeFailed(claimedNode, address, fault.name(), reason);
    }

    /** One of our dials ended without a link: connections that waited for it may go up now. */
    private void dialEnded(RemoteNode rn, HandshakeHandler h) {
        HandshakeHandler[] chosen = new HandshakeHandler[1];
        List<HandshakeHandler> refused = new ArrayList<>(1);
        Link up;
        synchronized (rn) {
            if (!rn.dials.remove(h)) {
                return;
            }
            up = upFromPending(rn, chosen, refused);
        }
        refuseAll(refused, rn.id);
        if (up != null) {
            announceUp(rn, chosen[0], up);
        }
    }

    /** Drops connections from {@code node} that lost to the one it keeps. */
    private void refuseAll(List<HandshakeHandler> losers, String node) {
        for (HandshakeHandler r : losers) {
            refuse(r, "a preferred connection with " + node + " exists");
        }
    }

    private void refuse(HandshakeHandler h, String reason) {
        log.debug("{}: not used: {}", h, SafeText.of(reason));
        h.refuse();
        if (h.dialed != null) {
            Handshake.Peer p = h.authenticatedPeer();
            if (p != null && link(p.nodeId()).isPresent()) {
                h.dialed.complete(p.nodeId());
            } else {
                h.dialed.completeExceptionally(new IOException("connection not used: " + reason));
            }
        }
    }

    // ---- links going up and down ----

    /**
     * Makes {@code h}'s connection the node's link (lock held); the caller announces it. Waiting
     * connections are outranked by it and go to {@code refused}; our dials that have not sent their
     * auth line are dropped (the others finish, and then lose to it or replace it).
     */
    private Link goUp(RemoteNode rn, HandshakeHandler h, Handshake.Peer peer, List<HandshakeHandler> refused) {
        Link link = new Link(h.channel(), peer, self, limits, rn.counters, busy -> events.busy(rn.id, busy),
                why -> failures.incidents.linkOverflowed(rn.id, why));
        for (List<?> m; (m = rn.queue.poll()) != null; ) {
            link.write(m, Link.Mode.ACCEPTED);
        }
        rn.queuedBytes = 0;
        upCount.incrementAndGet();
        rn.link = link;
        rn.state = RemoteNode.State.UP;
        rn.dials.remove(h);
        rn.pending.remove(h);
        refused.addAll(rn.pending);
        rn.pending.clear();
        rn.dials.removeIf(d -> d.abortBeforeAuthLine("connected by another connection"));
        rn.cancelTimers();
        return link;
    }

    private void announceUp(RemoteNode rn, HandshakeHandler h, Link link) {
        List<Runnable> waiting;
        synchronized (rn) {
            waiting = new ArrayList<>(rn.readyWaiters);
            rn.readyWaiters.clear();
        }
        waiting.forEach(link::whenReady);
        events.up(rn.id);
        link.channel.closeFuture().addListener(f -> linkLost(link)); // at once if it closed meanwhile
        h.accept(link, frames.apply(link));
        if (h.dialed != null) {
            h.dialed.complete(rn.id);
        }
        log.info("node {} up (link {}: {} -> {}, {}{})", SafeText.of(rn.id), link.channel.id(),
                link.channel.localAddress(), link.channel.remoteAddress(), link.peer.authMethod(),
                link.peer.tls() ? ", TLS" : "");
    }

    private void linkLost(Link link) {
        RemoteNode rn = nodes.get(link.node);
        if (rn == null) {
            return;
        }
        synchronized (rn) {
            if (rn.link != link) {
                return; // replaced, and reported then
            }
            rn.link = null;
            upCount.decrementAndGet();
            rn.state = RemoteNode.State.DOWN;
            if (rn.challenger != null) {
                rn.successor = rn.challenger; // the link it challenged is gone: it takes over
                rn.challenger = null;
            }
        }
        String reason = link.failure() != null ? link.failure() : "Unexpected end-of-file";
        log.info("node {} down: {}", SafeText.of(link.node), SafeText.of(reason));
        reportDown(rn, reason, true);
    }

    /** Fires the node's monitors (state DOWN), then hands over to a successor or lets queued sends connect again. */
    private void reportDown(RemoteNode rn, String reason, boolean wasUp) {
        List<Object> why = Reasons.transportError(rn.id, reason);
        List<HandshakeHandler> refusedLater = new ArrayList<>(0);
        List<Runnable> waiting = List.of();
        HandshakeHandler next = null;
        Link up = null;
        try {
            kernel.nodeDown(rn.id, why);
            if (wasUp) {
                events.down(rn.id, why);
            }
        } finally {
            synchronized (rn) {
                if (rn.state == RemoteNode.State.DOWN) {
                    next = rn.successor;
                    rn.successor = null;
                    if (next != null && !closed && next.channel().isActive()) {
                        up = goUp(rn, next, next.authenticatedPeer(), refusedLater);
                    } else if (!rn.queue.isEmpty() && !closed) {
                        startConnect(rn);
                    } else {
                        rn.state = RemoteNode.State.IDLE;
                        waiting = new ArrayList<>(rn.readyWaiters);
                        rn.readyWaiters.clear();
                        if (rn.dials.isEmpty() && rn.pending.isEmpty()) {
                            // nothing left to know: the entry goes, so that unreachable nodes do not pile up
                            rn.removed = true;
                            synchronized (retired) {
                                nodes.remove(rn.id, rn);
                                rn.counters.addTo(retired, System.nanoTime());
                            }
                        }
                    }
                }
            }
        }
        waiting.forEach(Runnable::run);
        refuseAll(refusedLater, rn.id);
        if (up != null) {
            announceUp(rn, next, up);
        } else if (next != null) {
            refuse(next, "the node is closing, or the connection closed meanwhile");
        }
    }

    // ---- numbers ----

    /** A snapshot of every node in the table. */
    List<LinkCounts> stats() {
        long now = System.nanoTime();
        List<LinkCounts> out = new ArrayList<>();
        for (RemoteNode rn : nodes.values()) {
            Link link = rn.link;
            long backlog;
            synchronized (rn) {
                backlog = link != null ? link.backlog() : rn.queuedBytes;
            }
            LinkCounters c = rn.counters;
            out.add(new LinkCounts(rn.id, link != null, link != null ? link.framing : "", c.messagesIn.sum(),
                    c.messagesOut.sum(), c.bytesIn.sum(), c.bytesOut.sum(), backlog, link != null && link.isBusy(),
                    Duration.ofNanos(c.busyNanos(now)), c.refusals.sum(), c.overflows.sum(),
                    link != null ? link.peer.authMethod() : "", link != null && link.peer.tls(),
                    link != null ? link.peer.greeting().extensions().getOrDefault("provider", "") : ""));
        }
        return out;
    }

    /**
     * What has crossed every link this node has had, to nodes in the table and to nodes that left
     * it (their counts would be lost with their entry): counts that only grow. Node, framing,
     * backlog and the busy flag are left empty.
     */
    LinkCounts totals() {
        long now = System.nanoTime();
        LinkCounters sum = new LinkCounters();
        synchronized (retired) {
            retired.addTo(sum, now);
            for (RemoteNode rn : nodes.values()) {
                rn.counters.addTo(sum, now);
            }
        }
        return new LinkCounts("", false, "", sum.messagesIn.sum(), sum.messagesOut.sum(),
                sum.bytesIn.sum(), sum.bytesOut.sum(), 0, false, Duration.ofNanos(sum.busyNanos(now)),
                sum.refusals.sum(), sum.overflows.sum(), "", false, "");
    }

    // ---- lifecycle ----

    /** Refuses everything from now on; the network closes the channels. */
    void close() {
        closed = true;
    }

    /**
     * Messages not sent when the node closed.
     *
     * @param onLinks queued on a link whose socket did not take them in time
     * @param waiting waiting for a link to a node that was not connected
     */
    record Unsent(long onLinks, long waiting) {
    }

    /**
     * Hands everything queued on links to the sockets and waits up to {@code grace} until they
     * took it; says how many messages were not sent.
     */
    Unsent drain(Duration grace) {
        List<Link> links = new ArrayList<>();
        long waiting = 0;
        for (RemoteNode rn : nodes.values()) {
            synchronized (rn) {
                if (rn.link != null) {
                    links.add(rn.link);
                }
                waiting += rn.queue.size();
            }
        }
        CompletableFuture<?>[] drains = grace.isZero() ? new CompletableFuture<?>[0]
                : links.stream().map(Link::drain).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(drains).get(grace.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            log.debug("not every link drained within {}", grace);
        } catch (java.util.concurrent.ExecutionException e) {
            log.debug("draining failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long onLinks = 0;
        for (Link l : links) {
            if (l.channel.isActive()) {
                onLinks += l.unsent(); // a link that died meanwhile reports its loss through its monitors
            }
        }
        return new Unsent(onLinks, waiting);
    }
}
