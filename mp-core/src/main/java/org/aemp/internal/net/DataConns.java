package org.aemp.internal.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.aemp.internal.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's data connections (AEMP {@code AnyEvent::MP::DataConn}) at the connection level:
 * which ones are awaited, their handshakes, and the dials that make them. A data connection is an
 * extra TCP connection between two nodes, made to the same listener as links, greeted with
 * {@code aemp-dataconn} and {@code dataconn_id=<id>} and authenticated exactly like a link
 * (nonces, TLS, auth line; the same admission limits and deadline); then it carries raw bytes and
 * is handed to the application. It is not a link: the link table never hears of it.
 *
 * <p>An awaited connection is keyed by the other node and the id; only a connection with that id,
 * <em>authenticated</em> as that node, is taken, once, and everything else is refused. The claim
 * step checks the same (so a wrong or unknown id is refused before the auth lines, with a
 * summarised WARN), but decides nothing: the table changes only after authentication. What the
 * ids mean and who awaits what (the node-port requests {@code _expect} and {@code _connect}) is
 * {@link org.aemp.DataConn}'s business.
 *
 * <p>Thread-safe.
 */
public final class DataConns implements HandshakeHandler.Links {
    private static final Logger log = LoggerFactory.getLogger(DataConns.class);
    /** Data connections awaited at once at most (a remote node picks how many and for how long). */
    public static final int MAX_AWAITED = 1024;
    /** Data connections awaited at once with one node at most. */
    public static final int MAX_AWAITED_PER_NODE = 64;

    /** Where an awaited data connection goes. Exactly one of the two is called, once. */
    public interface Awaited {
        /**
         * The authenticated connection: reading is off, and the pipeline holds only TLS (if used)
         * and possibly a {@link HeldBytes} handler. Called on the channel's event loop; must not block.
         */
        void connected(Channel channel);

        /** The wait ended without a connection. Called on any thread. */
        void failed(String reason, boolean timedOut);
    }

    /** Makes the handshake of a data connection dial to {@code node} for {@code id}. */
    interface DialFactory {
        HandshakeHandler dial(String node, String id);
    }

    private record Key(String peer, String id) {
    }

    private static final class Entry {
        final Key key;
        final Awaited awaited;
        volatile ScheduledFuture<?> timer;
        volatile CompletableFuture<?> lookup;

        Entry(Key key, Awaited awaited) {
            this.key = key;
            this.awaited = awaited;
        }
    }

    private final String self;
    private final AddressBook addresses;
    private final Dialer dialer;
    private final EventLoopGroup group;
    private final Transport transport;
    private final ChannelGroup channels;
    private final RefusalLog refusals;
    private final NetworkCounters failures;
    private final DialFactory dials;
    private final Map<Key, Entry> awaited = new ConcurrentHashMap<>();
    private volatile boolean closed;

    DataConns(String self, AddressBook addresses, Dialer dialer, EventLoopGroup group, Transport transport,
            ChannelGroup channels, RefusalLog refusals, NetworkCounters failures, DialFactory dials) {
        this.self = self;
        this.addresses = addresses;
        this.dialer = dialer;
        this.group = group;
        this.transport = transport;
        this.channels = channels;
        this.refusals = refusals;
        this.failures = failures;
        this.dials = dials;
    }

    // ---- the table (any thread) ----

    /**
     * Awaits the data connection {@code id} with node {@code peer}, dialled by either side, for at
     * most {@code timeout}; then {@code what} fails with {@code timeoutReason}.
     *
     * @return why it is not awaited: the same is awaited already, too many are, or the node is
     *     closing; null if it is
     */
    public String await(String peer, String id, Duration timeout, String timeoutReason, Awaited what) {
        if (closed) {
            return "node " + self + " is closing";
        }
        if (awaited.size() >= MAX_AWAITED) {
            return "too many data connections awaited on node " + self + " (" + MAX_AWAITED + ")";
        }
        if (awaited.keySet().stream().filter(k -> k.peer().equals(peer)).count() >= MAX_AWAITED_PER_NODE) {
            return "too many data connections awaited with node " + SafeText.escape(peer) + " ("
                    + MAX_AWAITED_PER_NODE + ")";
        }
        Entry e = new Entry(new Key(peer, id), what);
        if (awaited.putIfAbsent(e.key, e) != null) {
            return "data connection " + SafeText.escape(id) + " with node " + SafeText.escape(peer)
                    + " is awaited already";
        }
        try {
            e.timer = group.next().schedule(() -> end(e, timeoutReason, true), timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException ex) {
            awaited.remove(e.key, e);
            return "node " + self + " is closing";
        }
        return null;
    }

    /** True if the data connection {@code id} with {@code peer} is awaited. */
    public boolean isAwaited(String peer, String id) {
        return awaited.containsKey(new Key(peer, id));
    }

    /** Stops awaiting the data connection {@code id} with {@code peer}, if it still is, failing it with {@code reason}. */
    public void fail(String peer, String id, String reason) {
        Entry e = awaited.get(new Key(peer, id));
        if (e != null) {
            end(e, reason, false);
        }
    }

    /** Stops awaiting without telling anyone (the caller gave up itself). */
    public void forget(String peer, String id) {
        Entry e = awaited.remove(new Key(peer, id));
        if (e != null) {
            cancel(e);
        }
    }

    private void end(Entry e, String reason, boolean timedOut) {
        if (awaited.remove(e.key, e)) {
            cancel(e);
            e.awaited.failed(reason, timedOut);
        }
    }

    /** Takes the awaited entry (it can be taken once), or null. */
    private Entry take(Key key) {
        Entry e = awaited.remove(key);
        if (e != null) {
            cancel(e);
        }
        return e;
    }

    private static void cancel(Entry e) {
        ScheduledFuture<?> t = e.timer;
        if (t != null) {
            t.cancel(false);
        }
        CompletableFuture<?> l = e.lookup;
        if (l != null) {
            l.cancel(false); // the global service forgets a lookup nobody waits for
        }
    }

    // ---- dialling ----

    /**
     * Dials {@code peer} for the awaited data connection {@code id}: tries the addresses the node
     * knows for it (given, or found through the global service), one after the other. If it finds
     * none within {@code lookupLimit} (null: as long as the wait lasts; without a global network
     * the global service never answers), runs {@code noAddress}; if none connects, fails the wait
     * with the last reason.
     */
    public void dial(String peer, String id, Duration lookupLimit, Runnable noAddress) {
        Entry e = awaited.get(new Key(peer, id));
        if (e == null) {
            return;
        }
        CompletableFuture<List<String>> lookup = addresses.lookup(peer);
        e.lookup = lookup;
        if (awaited.get(e.key) != e) {
            lookup.cancel(false);
        } else if (lookupLimit != null && !lookup.isDone()) {
            try {
                group.next().schedule(() -> lookup.cancel(false), lookupLimit.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException ex) {
                lookup.cancel(false);
            }
        }
        lookup.whenComplete((addrs, err) -> {
            if (awaited.get(e.key) != e) {
                return;
            }
            if (addrs == null || addrs.isEmpty()) {
                noAddress.run();
            } else {
                tryAddress(e, addrs, 0, "no address");
            }
        });
    }

    private void tryAddress(Entry e, List<String> addrs, int index, String lastFailure) {
        if (awaited.get(e.key) != e) {
            return; // connected by another connection, failed, or timed out
        }
        if (index >= addrs.size()) {
            end(e, "cannot connect to node " + SafeText.escape(e.key.peer()) + ": " + lastFailure, false);
            return;
        }
        String address = addrs.get(index);
        InetSocketAddress target;
        try {
            target = Dialer.resolveOne(address);
        } catch (IOException | IllegalArgumentException ex) {
            tryAddress(e, addrs, index + 1, ex.getMessage());
            return;
        }
        HandshakeHandler h = dials.dial(e.key.peer(), e.key.id());
        try {
            dialer.connect(target, h).addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    h.dialed.completeExceptionally(new IOException("cannot connect to " + address + ": "
                            + f.cause().getMessage(), f.cause()));
                }
            });
        } catch (RejectedExecutionException ex) {
            end(e, "node " + self + " is closing", false);
            return;
        }
        h.dialed.whenComplete((node, err) -> {
            if (err != null) {
                log.debug("data connection {} to node {}: dial of {} failed: {}", SafeText.of(e.key.id()),
                        SafeText.of(e.key.peer()), address, err.getMessage());
                tryAddress(e, addrs, index + 1, err.getMessage());
            }
        });
    }

    // ---- a data connection of the node with itself ----

    /**
     * Two connected TCP sockets on loopback, on this node's event loops, reading off and with
     * empty pipelines: a data connection of the node with itself (AEMP uses a socket pair). The
     * temporary listener takes only the connection it dialled itself and closes at once.
     */
    public CompletableFuture<Channel[]> localPair() {
        CompletableFuture<Channel[]> result = new CompletableFuture<>();
        List<Channel> accepted = new CopyOnWriteArrayList<>();
        CompletableFuture<Channel> ours = new CompletableFuture<>();
        InetSocketAddress[] dialFrom = new InetSocketAddress[1];
        ServerBootstrap server = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelType())
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepted.add(ch);
                        matchLocal(accepted, dialFrom, ours);
                    }
                });
        ChannelFuture bound;
        try {
            bound = server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IOException("node " + self + " is closing", e));
        }
        bound.addListener((ChannelFuture b) -> {
            if (!b.isSuccess()) {
                result.completeExceptionally(new IOException("cannot listen on loopback for a local data connection: "
                        + b.cause().getMessage(), b.cause()));
                return;
            }
            Bootstrap client = new Bootstrap()
                    .group(group)
                    .channel(transport.channelType())
                    .option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            channels.add(ch);
                        }
                    });
            client.connect(b.channel().localAddress()).addListener((ChannelFuture c) -> {
                if (!c.isSuccess()) {
                    b.channel().close();
                    result.completeExceptionally(new IOException("cannot connect on loopback for a local data"
                            + " connection: " + c.cause().getMessage(), c.cause()));
                    return;
                }
                synchronized (dialFrom) {
                    dialFrom[0] = (InetSocketAddress) c.channel().localAddress();
                }
                matchLocal(accepted, dialFrom, ours);
                ours.orTimeout(5, TimeUnit.SECONDS).whenComplete((child, err) -> {
                    b.channel().close();
                    for (Channel other : accepted) {
                        if (other != child) {
                            other.close(); // someone else found the temporary port
                        }
                    }
                    if (err != null) {
                        c.channel().close();
                        result.completeExceptionally(new IOException("local data connection: not accepted", err));
                    } else {
                        channels.add(child);
                        result.complete(new Channel[] {c.channel(), child});
                    }
                });
            });
        });
        return result;
    }

    private static void matchLocal(List<Channel> accepted, InetSocketAddress[] dialFrom, CompletableFuture<Channel> ours) {
        InetSocketAddress from;
        synchronized (dialFrom) {
            from = dialFrom[0];
        }
        if (from == null) {
            return;
        }
        for (Channel ch : accepted) {
            if (from.equals(ch.remoteAddress())) {
                ours.complete(ch);
            }
        }
    }

    // ---- handshakes (event loops) ----

    @Override
    public CompletionStage<String> check(String claimedNode, HandshakeHandler h) {
        if (closed) {
            return CompletableFuture.completedFuture("node " + SafeText.escape(self) + " is closing");
        }
        if (awaited.containsKey(new Key(claimedNode, h.dataConnId()))) {
            return CompletableFuture.completedFuture(null);
        }
        String reason = notAwaited(h, claimedNode);
        if (!h.isOutgoing()) {
            failures.refusedConnections.increment();
            refusals.warn(source(h), "refused data connections", "data connection from " + h.remoteAddress()
                    + " refused: " + reason);
        }
        return CompletableFuture.completedFuture(reason);
    }

    private static String notAwaited(HandshakeHandler h, String node) {
        return "no data connection '" + SafeText.escape(h.dataConnId()) + "' is awaited " + (h.isOutgoing() ? "to"
                : "from") + " node " + SafeText.escape(node) + " (unknown id, or given up)";
    }

    @Override
    public void authenticated(HandshakeHandler h, Handshake.Peer peer) {
        Entry e = closed ? null : take(new Key(peer.nodeId(), h.dataConnId()));
        if (e == null) {
            String reason = notAwaited(h, peer.nodeId());
            if (h.isOutgoing()) {
                log.debug("{}: not used: {}", h, reason);
                h.dialed.completeExceptionally(new IOException(reason));
            } else {
                failures.refusedConnections.increment();
                refusals.warn(source(h), "refused data connections", "data connection from " + h.remoteAddress()
                        + " refused: " + reason);
            }
            h.refuse();
            return;
        }
        if (h.dialed != null) {
            h.dialed.complete(peer.nodeId());
        }
        log.debug("data connection '{}' with node {} authenticated ({}{})", SafeText.of(h.dataConnId()),
                SafeText.of(peer.nodeId()), h.isOutgoing() ? "dialled" : "accepted", peer.tls() ? ", TLS" : "");
        h.handOver(ch -> {
            try {
                e.awaited.connected(ch);
            } catch (RuntimeException ex) {
                log.warn("data connection '{}' with node {}: closed: its taker threw", SafeText.of(e.key.id()),
                        SafeText.of(e.key.peer()), ex);
                ch.close();
            }
        }, reason -> e.awaited.failed(reason, false));
    }

    @Override
    public void ended(HandshakeHandler h, String claimedNode, String reason, Handshake.Fault fault) {
        if (h.dialed != null) {
            h.dialed.completeExceptionally(new IOException("handshake failed: " + reason));
        }
        String line = "data connection handshake with " + (claimedNode == null ? "" : "node " + claimedNode + " at ")
                + h.remoteAddress() + " failed: " + reason;
        switch (fault) {
            case AUTH -> {
                failures.authFailures.increment();
                refusals.warn(source(h), "failed authentications", line);
            }
            case PROTOCOL -> {
                failures.handshakeFailures.increment();
                refusals.warn(source(h), "failed handshakes", line);
            }
            case TIMEOUT -> {
                failures.handshakeFailures.increment();
                refusals.warn(source(h), "handshake timeouts", line);
            }
            default -> {
                log.debug("{}", SafeText.of(line));
                return; // no fault of the peer's: not an incident
            }
        }
        failures.incidents.handshakeFailed(claimedNode, h.remoteAddress(), fault.name(), reason);
    }

    private static Object source(HandshakeHandler h) {
        Object address = h.remoteAddress();
        return address instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : address;
    }

    // ---- lifecycle ----

    /** Stops awaiting anything: every wait fails with "closing". The channels close with the node's others. */
    void close() {
        closed = true;
        for (Entry e : awaited.values()) {
            end(e, "node " + self + " is closing", false);
        }
    }
}
