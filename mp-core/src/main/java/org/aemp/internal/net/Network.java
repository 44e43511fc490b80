package org.aemp.internal.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.aemp.KillReason;
import org.aemp.NodeListener;
import org.aemp.internal.SerialExecutor;
import org.aemp.internal.kernel.Kernel;
import org.aemp.internal.kernel.Remote;
import org.aemp.spi.AuthMethod;
import org.aemp.spi.Codec;
import org.aemp.spi.Secret;
import org.aemp.spi.TlsContext;
import org.aemp.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's connections: listeners on its binds, one link per other node, connecting on demand
 * when a message must go to a node with no link, and the rules of AEMP 2.02 for when to give up
 * ({@code connect_interval}) and what monitors see when a link is lost ({@code transport_error}).
 *
 * <p>One link per node pair: a handshake whose peer is already connected is refused, and of two
 * simultaneous handshakes with the same node the one dialled by the node with the smaller id is
 * kept, so both ends agree without talking. Messages queued while connecting go out in order once
 * the link is up; if the attempt fails they are lost and every monitor of that node fires.
 *
 * <p>Thread-safe.
 */
public final class Network implements Remote, HandshakeHandler.Links {
    private static final Logger log = LoggerFactory.getLogger(Network.class);

    private final Kernel kernel;
    private final HandshakeSettings settings;
    private final Transport transport;
    private final EventLoopGroup group;
    private final Duration connectInterval;
    private final Duration monitorTimeout;
    private final Map<String, RemoteNode> nodes = new ConcurrentHashMap<>();
    private final Map<String, List<String>> addressBook = new ConcurrentHashMap<>();
    private final List<Channel> servers = new CopyOnWriteArrayList<>();
    /** Every connection, established or handshaking, so that close() ends them all. */
    private final ChannelGroup channels = new DefaultChannelGroup("aemp-links", GlobalEventExecutor.INSTANCE);
    private final List<NodeListener> listeners = new CopyOnWriteArrayList<>();
    private final List<NodeListener> observers = new CopyOnWriteArrayList<>();
    private final Map<HandshakeHandler, CompletableFuture<String>> dials = new ConcurrentHashMap<>();
    private final SerialExecutor events;
    private volatile List<String> boundAddresses = List.of();
    private volatile Function<String, CompletableFuture<List<String>>> finder;
    private volatile boolean closed;

    /**
     * @param kernel the local half, told about arrivals and failures
     * @param transport the sockets to use
     * @param ioThreads event-loop threads
     */
    public Network(Kernel kernel, Transport transport, int ioThreads, List<Codec> codecs, List<String> accept,
            List<String> offer, Map<String, AuthMethod> methods, Secret secret,
            java.util.function.Supplier<TlsContext> tls, Duration monitorTimeout, Duration connectInterval,
            int maxFrameLength, String provider) {
        this.kernel = kernel;
        this.transport = transport;
        this.connectInterval = connectInterval;
        this.monitorTimeout = monitorTimeout;
        this.settings = new HandshakeSettings(kernel.nodeId(), codecs, accept, offer, methods, secret, tls,
                monitorTimeout, maxFrameLength, provider);
        this.group = new MultiThreadIoEventLoopGroup(ioThreads,
                new DefaultThreadFactory("aemp-" + kernel.nodeId() + "-io", true), transport.ioHandlerFactory());
        this.events = new SerialExecutor(kernel.workers());
        this.finder = node -> CompletableFuture.completedFuture(List.of());
    }

    /** The transport in use (for logs and tests). */
    public Transport transport() {
        return transport;
    }

    // ---- listening ----

    /**
     * Listens on every address the bind entries stand for; the actual addresses (with the ports
     * picked) become {@link #boundAddresses()}.
     *
     * @throws IOException if an address cannot be resolved or bound
     */
    public void listen(List<String> binds) throws IOException {
        List<String> bound = new ArrayList<>();
        for (String spec : binds) {
            for (String entry : spec.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                List<InetSocketAddress> addrs;
                try {
                    addrs = Addresses.resolve(entry);
                } catch (IllegalArgumentException e) {
                    throw new IOException("bind '" + entry + "': " + e.getMessage(), e);
                }
                for (InetSocketAddress a : addrs) {
                    Channel server = bind(a, entry);
                    servers.add(server);
                    bound.add(Addresses.format((InetSocketAddress) server.localAddress()));
                }
            }
        }
        boundAddresses = List.copyOf(bound);
        if (!bound.isEmpty()) {
            log.info("node {} listening on {} ({})", kernel.nodeId(), bound, transport.name());
        }
    }

    private Channel bind(InetSocketAddress address, String entry) throws IOException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelType())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast("handshake", newHandshake(false, null, null));
                    }
                });
        ChannelFuture f = b.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IOException("cannot listen on " + Addresses.format(address) + " (bind '" + entry + "'): "
                    + f.cause().getMessage(), f.cause());
        }
        return f.channel();
    }

    /** The addresses this node listens on, as published to other nodes ({@code host:port}). */
    public List<String> boundAddresses() {
        return boundAddresses;
    }

    HandshakeHandler newHandshake(boolean outgoing, String expectedNode, byte[][] fixedLines) {
        return new HandshakeHandler(settings, this, this, outgoing, expectedNode, fixedLines);
    }

    /**
     * Runs the AEMP handshake on a channel made elsewhere (an in-memory channel in tests), as if it
     * had been accepted, optionally with fixed greeting and nonce lines.
     */
    public void adopt(Channel channel, boolean outgoing, byte[][] fixedLines) {
        channel.pipeline().addLast("handshake", newHandshake(outgoing, null, fixedLines));
    }

    // ---- addresses ----

    /** Remembers where {@code node} listens, for connecting on demand. */
    public void addAddresses(String node, List<String> addresses) {
        addressBook.put(node, List.copyOf(addresses));
    }

    /**
     * Sets how addresses of nodes missing from the address book are found (the global service
     * asks its master, or looks in its database). The default finds none.
     */
    public void setFinder(Function<String, CompletableFuture<List<String>>> finder) {
        this.finder = finder;
    }

    /** The addresses known locally for {@code node}. */
    public List<String> knownAddresses(String node) {
        return addressBook.getOrDefault(node, List.of());
    }

    /**
     * Connects to an address without knowing which node is there (as for a seed). Completes with
     * the node's id once the link is up, or fails with the reason.
     */
    public CompletableFuture<String> dial(String address) {
        CompletableFuture<String> result = new CompletableFuture<>();
        InetSocketAddress target;
        try {
            target = resolveOne(address);
        } catch (IOException | IllegalArgumentException e) {
            result.completeExceptionally(e);
            return result;
        }
        if (closed) {
            result.completeExceptionally(new IOException("node " + kernel.nodeId() + " is closing"));
            return result;
        }
        HandshakeHandler h = newHandshake(true, null, null);
        dials.put(h, result);
        ChannelFuture connecting;
        try {
            connecting = connect(target, h);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            dials.remove(h);
            result.completeExceptionally(new IOException("node " + kernel.nodeId() + " is closing", e));
            return result;
        }
        connecting.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                dials.remove(h);
                result.completeExceptionally(new IOException("cannot connect to " + address + ": "
                        + f.cause().getMessage(), f.cause()));
            }
        });
        return result;
    }

    private ChannelFuture connect(InetSocketAddress target, HandshakeHandler handshake) {
        return new Bootstrap()
                .group(group)
                .channel(transport.channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1000, connectInterval.toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast("handshake", handshake);
                    }
                })
                .connect(target);
    }

    private static InetSocketAddress resolveOne(String address) throws IOException {
        Addresses.HostPort hp = Addresses.parse(address);
        if (hp.port() == 0) {
            throw new IllegalArgumentException("address '" + address + "' has no port");
        }
        List<InetSocketAddress> all = Addresses.resolve(address);
        if (all.isEmpty()) {
            throw new IOException("address '" + address + "' resolves to nothing");
        }
        return all.get(0);
    }

    // ---- Remote: sending ----

    private RemoteNode node(String id) {
        RemoteNode rn = nodes.get(id); // the common case, without computeIfAbsent's locking
        return rn != null ? rn : nodes.computeIfAbsent(id, RemoteNode::new);
    }

    @Override
    public void send(String nodeId, List<?> message) {
        RemoteNode rn = node(nodeId);
        Link link = rn.link;
        if (link != null) {
            link.write(message);
            return;
        }
        synchronized (rn) {
            if (rn.link != null) {
                rn.link.write(message);
                return;
            }
            if (closed) {
                return;
            }
            rn.queue.add(message);
            if (!rn.connecting && !rn.reportingDown) {
                startConnect(rn);
            }
        }
    }

    /** Starts connecting to {@code nodeId} if no link is up or being made (keepalive of global nodes). */
    public void connect(String nodeId) {
        RemoteNode rn = node(nodeId);
        synchronized (rn) {
            if (rn.link == null && !rn.connecting && !rn.reportingDown && !closed) {
                startConnect(rn);
            }
        }
    }

    @Override
    public void sendIfUp(String nodeId, List<?> message) {
        RemoteNode rn = nodes.get(nodeId);
        Link link = rn == null ? null : rn.link;
        if (link != null) {
            link.write(message);
        }
    }

    @Override
    public boolean isUp(String nodeId) {
        RemoteNode rn = nodes.get(nodeId);
        return rn != null && rn.link != null;
    }

    @Override
    public List<String> upNodes() {
        List<String> up = new ArrayList<>();
        for (RemoteNode rn : nodes.values()) {
            if (rn.link != null) {
                up.add(rn.id);
            }
        }
        return up;
    }

    /** The framing this node sends to {@code nodeId}, if a link is up (each side chooses its own). */
    public java.util.Optional<String> framingTo(String nodeId) {
        RemoteNode rn = nodes.get(nodeId);
        Link link = rn == null ? null : rn.link;
        return link == null ? java.util.Optional.empty() : java.util.Optional.of(link.framing);
    }

    /** True if {@code nodeId} is known here: connected, connecting, or in the address book. */
    public boolean isKnown(String nodeId) {
        return nodes.containsKey(nodeId) || addressBook.containsKey(nodeId);
    }

    // ---- connecting on demand (guarded by the RemoteNode's lock) ----

    private void startConnect(RemoteNode rn) {
        rn.connecting = true;
        int attempt = ++rn.attempt;
        rn.deadline = group.next().schedule(() -> giveUp(rn, attempt, "connect timeout"),
                connectInterval.toNanos(), TimeUnit.NANOSECONDS);
        if (!rn.handshakes.isEmpty()) {
            return; // the node is dialling us: wait for that handshake
        }
        List<String> known = addressBook.get(rn.id);
        CompletableFuture<List<String>> lookup = known != null && !known.isEmpty()
                ? CompletableFuture.completedFuture(known) : finder.apply(rn.id);
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
            if (rn.attempt != attempt || !rn.connecting || rn.link != null || index >= addrs.size()) {
                return;
            }
            if (!rn.handshakes.isEmpty()) {
                return; // a handshake with the node is under way already
            }
            InetSocketAddress target;
            try {
                target = resolveOne(addrs.get(index));
            } catch (IOException | IllegalArgumentException e) {
                log.debug("{}: skipping address {}: {}", rn, addrs.get(index), e.getMessage());
                group.execute(() -> tryAddress(rn, attempt, addrs, index + 1));
                return;
            }
            HandshakeHandler h = newHandshake(true, rn.id, null);
            rn.dialling = h;
            connect(target, h).addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    log.debug("{}: connect to {} failed: {}", rn, target, f.cause().getMessage());
                    synchronized (rn) {
                        if (rn.dialling == h) {
                            rn.dialling = null;
                        }
                    }
                    tryAddress(rn, attempt, addrs, index + 1);
                }
            });
            if (index + 1 < addrs.size()) {
                rn.nextAddress = group.next().schedule(() -> tryAddress(rn, attempt, addrs, index + 1),
                        pacing(addrs.size()), TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * The gap before the next address: {@code connect_interval}, or less with many addresses
     * ({@code (monitor_timeout - connect_interval) / n}), never under 0.4 s, times 0.9 to 1.0.
     */
    private long pacing(int addresses) {
        double interval = connectInterval.toNanos();
        double spread = (monitorTimeout.toNanos() - connectInterval.toNanos()) / (double) addresses;
        if (spread > 0 && spread < interval) {
            interval = spread;
        }
        interval = Math.max(interval, 0.4e9);
        return (long) (interval * (0.9 + 0.1 * ThreadLocalRandom.current().nextDouble()));
    }

    private void giveUp(RemoteNode rn, int attempt, String reason) {
        HandshakeHandler dialling;
        synchronized (rn) {
            if (rn.attempt != attempt || !rn.connecting || rn.link != null) {
                return;
            }
            rn.connecting = false;
            rn.cancelTimers();
            rn.queue.clear();
            dialling = rn.dialling;
            rn.dialling = null;
            rn.reportingDown = true;
        }
        if (dialling != null) {
            dialling.abort(reason);
        }
        log.debug("{}: giving up: {}", rn, reason);
        reportDown(rn, reason, false);
    }

    /** Fires the node's monitors, then lets queued sends connect again. */
    private void reportDown(RemoteNode rn, String reason, boolean wasUp) {
        KillReason why = KillReason.transportError(rn.id, reason);
        try {
            kernel.nodeDown(rn.id, why);
            if (wasUp) {
                for (NodeListener o : observers) {
                    o.changed(rn.id, false, why);
                }
                for (NodeListener l : listeners) {
                    events.execute(() -> l.changed(rn.id, false, why));
                }
            }
        } finally {
            synchronized (rn) {
                rn.reportingDown = false;
                if (!rn.queue.isEmpty() && !rn.connecting && rn.link == null && !closed) {
                    startConnect(rn);
                }
            }
        }
    }

    // ---- HandshakeHandler.Links (event loop) ----

    @Override
    public String claim(String nodeId, HandshakeHandler handshake) {
        if (closed) {
            return "node " + kernel.nodeId() + " is closing";
        }
        RemoteNode rn = node(nodeId);
        List<HandshakeHandler> losers = new ArrayList<>();
        synchronized (rn) {
            if (rn.link != null) {
                CompletableFuture<String> dial = dials.remove(handshake);
                if (dial != null) {
                    dial.complete(nodeId); // whoever dialled this address wanted that node: it is up
                }
                return nodeId + " already connected, not connecting again.";
            }
            if (rn.reportingDown) {
                // its monitors are firing: nothing of a new link may arrive before they have
                return nodeId + " was just lost and is being reported down; try again";
            }
            // competitors: handshakes that named the node already, and our own dial in progress
            // (even before its greeting arrived), so that both ends decide alike
            List<HandshakeHandler> others = new ArrayList<>(rn.handshakes);
            if (rn.dialling != null && rn.dialling != handshake && !others.contains(rn.dialling)) {
                others.add(rn.dialling);
            }
            String mine = handshake.dialler(nodeId);
            for (HandshakeHandler other : others) {
                String theirs = other.dialler(nodeId);
                if (theirs.equals(mine) || theirs.compareTo(mine) < 0) {
                    return "simultaneous connection with " + nodeId + ": keeping the one dialled by " + theirs;
                }
                losers.add(other);
            }
            rn.handshakes.removeAll(losers);
            if (losers.contains(rn.dialling)) {
                rn.dialling = null;
            }
            rn.handshakes.add(handshake);
        }
        for (HandshakeHandler loser : losers) {
            loser.abort("simultaneous connection with " + nodeId + ": keeping the one dialled by "
                    + handshake.dialler(nodeId));
        }
        return null;
    }

    @Override
    public boolean up(String nodeId, HandshakeHandler handshake, Link link) {
        RemoteNode rn = node(nodeId);
        synchronized (rn) {
            rn.handshakes.remove(handshake);
            if (rn.link != null || closed) {
                return false;
            }
            if (rn.dialling == handshake) {
                rn.dialling = null;
            }
            for (List<?> m; (m = rn.queue.poll()) != null; ) {
                link.write(m);
            }
            rn.link = link;
            rn.connecting = false;
            rn.cancelTimers();
        }
        for (NodeListener o : observers) {
            o.changed(nodeId, true, KillReason.NORMAL);
        }
        CompletableFuture<String> dial = dials.remove(handshake);
        if (dial != null) {
            dial.complete(nodeId);
        }
        log.info("node {} up (link {}: {} -> {})", nodeId, link.channel.id(), link.channel.localAddress(),
                link.channel.remoteAddress());
        for (NodeListener l : listeners) {
            events.execute(() -> l.changed(nodeId, true, KillReason.NORMAL));
        }
        return true;
    }

    @Override
    public void failed(String nodeId, HandshakeHandler handshake, String reason) {
        CompletableFuture<String> dial = dials.remove(handshake);
        if (dial != null) {
            dial.completeExceptionally(kernel.nodeId().equals(nodeId)
                    ? new SelfLinkException(reason) : new IOException("handshake failed: " + reason));
        }
        if (nodeId == null) {
            return;
        }
        RemoteNode rn = nodes.get(nodeId);
        if (rn == null) {
            return;
        }
        synchronized (rn) {
            rn.handshakes.remove(handshake);
            if (rn.dialling == handshake) {
                rn.dialling = null; // the next address timer, or the deadline, carries on
            }
        }
    }

    // ---- links (event loop) ----

    void received(Link link, List<Object> message) {
        kernel.deliver(link.node, message);
    }

    void linkDown(Link link, String reason) {
        RemoteNode rn = nodes.get(link.node);
        if (rn == null) {
            return;
        }
        synchronized (rn) {
            if (rn.link != link) {
                return;
            }
            rn.link = null;
            rn.reportingDown = true;
        }
        log.info("node {} down: {}", link.node, reason);
        reportDown(rn, reason, true);
    }

    // ---- node events ----

    /** AEMP {@code mon_nodes}: {@code listener} hears every link up and down, in order, on a worker. */
    public org.aemp.Guard monitorNodes(NodeListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Adds a listener called inline, on the thread that notices the change, before any message of a
     * new link is delivered and before a lost link's node can be reached again. It must only
     * hand the event on (the global service queues it), never block or call back.
     */
    public void observe(NodeListener observer) {
        observers.add(observer);
    }

    // ---- lifecycle ----

    /** Stops listening, closes every link, and stops the event loops. */
    public void close() {
        closed = true;
        for (Channel s : servers) {
            s.close();
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS); // links, and handshakes under way
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
