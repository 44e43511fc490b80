package org.aemp.internal.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.aemp.internal.Incidents;
import org.aemp.internal.kernel.Inbound;
import org.aemp.internal.kernel.Remote;
import org.slf4j.LoggerFactory;

/**
 * The node's connections: listening ({@link Acceptor}, with {@link Admission} limits), dialling
 * ({@link Dialer}), the handshake of each connection ({@link Handshake}), the table of other
 * nodes and the one-link-per-pair rule ({@link Connections}), and the links themselves
 * ({@link Link}, with their liveness check). This class only wires them together and is the
 * kernel's {@link Remote}; it reaches the kernel as {@link Inbound}, and the layer above through
 * the {@link LinkListener} and the {@link AddressFinder} it is given. Data connections ({@code aemp-dataconn}) share the listener and the
 * handshake, and go to {@link DataConns} instead of the link table ({@link HandshakeRouter}).
 *
 * <p>Thread-safe.
 */
public final class Network implements Remote, NodeLinks {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How often a summary of repeated refusals is logged. */
    static final Duration REFUSAL_SUMMARY = Duration.ofSeconds(10);

    private final HandshakeSettings settings;
    private final Transport transport;
    private final EventLoopGroup group;
    /** Every connection, established or handshaking, so that close() ends them all. */
    private final ChannelGroup channels = new DefaultChannelGroup("aemp-links", GlobalEventExecutor.INSTANCE);
    private final AddressBook addresses;
    private final NodeEvents events;
    private final Dialer dialer;
    private final Acceptor acceptor;
    private final Connections connections;
    private final DataConns dataConns;
    private final HandshakeRouter router;
    private final NetworkCounters failures;
    private volatile List<String> boundAddresses = List.of();
    private volatile boolean closed;

    /**
     * @param kernel where arriving messages and lost links go
     * @param settings what every handshake needs
     * @param transportName {@code epoll} or {@code nio}, or null for the best that runs here
     * @param limits the node's limits for connections (admission, liveness, timing)
     * @param observer told of every link up and down inline, on the thread that notices it,
     *     before any message of a new link is delivered and before a lost link's node can be
     *     reached again; it must only hand the event on, never block or call back
     * @param finder finds the addresses of nodes the address book does not know
     * @param incidents told of failed handshakes and of links that overflow, as they happen; its
     *     queue of events runs the node-event listeners too
     * @throws IllegalArgumentException if there is no transport of that name
     * @throws IllegalStateException if the named transport cannot run here
     */
    public Network(Inbound kernel, HandshakeSettings settings, String transportName, int ioThreads,
            Limits limits, LinkListener observer, AddressFinder finder, Incidents incidents) {
        this.settings = settings;
        this.failures = new NetworkCounters(incidents);
        this.addresses = new AddressBook(finder);
        this.transport = Transport.choose(transportName);
        this.group = new MultiThreadIoEventLoopGroup(ioThreads,
                new DefaultThreadFactory("aemp-" + settings.nodeId() + "-io", true), transport.ioHandlerFactory());
        this.events = new NodeEvents(incidents.events(), observer);
        RefusalLog refusals = new RefusalLog(LoggerFactory.getLogger(Network.class), REFUSAL_SUMMARY, group);
        this.dialer = new Dialer(group, transport, channels, limits.connectInterval());
        Admission admission = new Admission(limits.maxHandshakes(), limits.maxHandshakesPerAddress(),
                limits.authFailureDelay(), System::nanoTime);
        Function<Link, FrameHandler> frames = link -> new FrameHandler(link,
                link.peer.receive().newDecoder(settings.decodeLimits()), kernel, failures, settings.decodeLimits());
        this.connections = new Connections(settings.nodeId(), kernel, events, addresses, dialer, group,
                limits.connectInterval(), limits.monitorTimeout(),
                new Link.Limits(limits.liveness(), limits.busyBytes(), limits.backlogLimit()),
                node -> handshake(true, node, null, null), refusals, frames, failures);
        this.dataConns = new DataConns(settings.nodeId(), addresses, dialer, group, transport, channels, refusals,
                failures, this::dataConnDial);
        this.router = new HandshakeRouter(connections, dataConns);
        this.acceptor = new Acceptor(group, transport, channels, admission,
                limits.maxHandshakesPerAddress(), refusals, failures, ticket -> handshake(false, null, ticket, null));
    }

    /**
     * The node's limits and timings for connections.
     *
     * @param connectInterval AEMP {@code connect_interval}: the deadline of an on-demand connect
     * @param monitorTimeout AEMP {@code monitor_timeout}: spreads the addresses of one node
     * @param liveness how long a link may stay silent
     * @param maxHandshakes handshakes under way at once
     * @param maxHandshakesPerAddress handshakes under way at once from one address
     * @param authFailureDelay the longest wait imposed after failed authentication
     * @param busyBytes the backlog above which a link is busy
     * @param backlogLimit the backlog at which a plain send fails a link
     */
    public record Limits(Duration connectInterval, Duration monitorTimeout, Duration liveness, int maxHandshakes,
            int maxHandshakesPerAddress, Duration authFailureDelay, long busyBytes, long backlogLimit) {
    }

    private HandshakeHandler handshake(boolean outgoing, String expectedNode, Admission.Ticket ticket,
            byte[][] fixedLines) {
        Handshake machine = new Handshake(settings, outgoing, expectedNode, System::nanoTime, RANDOM);
        return new HandshakeHandler(machine, router, ticket, fixedLines);
    }

    /** The handshake of a data connection dialled to {@code node}, greeting with {@code dataconn_id=<id>}. */
    private HandshakeHandler dataConnDial(String node, String id) {
        Handshake machine = new Handshake(settings, true, node, System::nanoTime, RANDOM, id);
        return new HandshakeHandler(machine, router, null, null);
    }

    /** The node's data connections (AEMP {@code AnyEvent::MP::DataConn}), for {@link org.aemp.DataConn}. */
    public DataConns dataConns() {
        return dataConns;
    }

    // ---- listening ----

    /**
     * Listens on every address the bind entries stand for; the actual addresses (with the ports
     * picked) become {@link #boundAddresses()}.
     *
     * @throws IOException if an address cannot be resolved or bound
     */
    public void listen(List<String> binds) throws IOException {
        List<String> bound = acceptor.listen(binds);
        boundAddresses = bound;
        if (!bound.isEmpty()) {
            LoggerFactory.getLogger(Network.class).info("node {} listening on {} ({})", settings.nodeId(), bound,
                    transport.wireName());
        }
    }

    /** The addresses this node listens on, as published to other nodes ({@code host:port}). */
    public List<String> boundAddresses() {
        return boundAddresses;
    }

    /**
     * Runs the AEMP handshake on a channel made elsewhere (an in-memory channel in tests), as if it
     * had been accepted, optionally with fixed greeting and nonce lines.
     */
    public void adopt(Channel channel, boolean outgoing, byte[][] fixedLines) {
        channel.pipeline().addLast("handshake", handshake(outgoing, null, null, fixedLines));
    }

    // ---- addresses ----

    /** Remembers where {@code node} listens, for connecting on demand. */
    public void addAddresses(String node, List<String> addrs) {
        addresses.add(node, addrs);
    }

    /** The addresses known locally for {@code node}. */
    public List<String> knownAddresses(String node) {
        return addresses.known(node);
    }

    /**
     * Connects to an address without knowing which node is there (as for a seed). Completes with
     * the node's id once the link is up (or if a link to that node was up already), or fails with
     * the reason.
     */
    @Override
    public CompletableFuture<String> dial(String address) {
        InetSocketAddress target;
        try {
            target = Dialer.resolveOne(address);
        } catch (IOException | IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (closed) {
            return CompletableFuture.failedFuture(new IOException("node " + settings.nodeId() + " is closing"));
        }
        HandshakeHandler h = handshake(true, null, null, null);
        ChannelFuture connecting;
        try {
            connecting = dialer.connect(target, h);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IOException("node " + settings.nodeId() + " is closing", e));
        }
        connecting.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                h.dialed.completeExceptionally(new IOException("cannot connect to " + address + ": "
                        + f.cause().getMessage(), f.cause()));
            }
        });
        return h.dialed;
    }

    // ---- Remote ----

    @Override
    public void send(String nodeId, List<?> message) {
        connections.send(nodeId, message);
    }

    /** Starts connecting to {@code nodeId} if no link is up or being made (keepalive of global nodes). */
    @Override
    public void connect(String nodeId) {
        connections.connect(nodeId);
    }

    @Override
    public boolean trySend(String nodeId, List<?> message) {
        return connections.trySend(nodeId, message);
    }

    @Override
    public void whenReady(String nodeId, Runnable ready) {
        connections.whenReady(nodeId, ready);
    }

    @Override
    public void sendIfUp(String nodeId, List<?> message) {
        connections.sendIfUp(nodeId, message);
    }

    /** True if a link to {@code nodeId} is established. */
    @Override
    public boolean isUp(String nodeId) {
        return connections.link(nodeId).isPresent();
    }

    @Override
    public List<String> upNodes() {
        return connections.upNodes();
    }

    /** True if {@code nodeId} is known here: connected, connecting, or in the address book. */
    public boolean isKnown(String nodeId) {
        return connections.isKnown(nodeId) || addresses.contains(nodeId);
    }

    // ---- node events ----

    /**
     * AEMP {@code mon_nodes}: {@code listener} hears every link up and down, in order, on a worker.
     *
     * @return removes the listener
     */
    public Runnable monitorNodes(LinkListener listener) {
        return events.listen(listener);
    }

    /**
     * Links turning busy or ready: {@code listener} hears them in order, on a worker.
     *
     * @return removes the listener
     */
    public Runnable monitorBusy(LinkBusyListener listener) {
        return events.listenBusy(listener);
    }

    /** The numbers of every link, and the node-wide failure counts. */
    public NetStats stats() {
        return new NetStats(connections.stats(), failures.handshakeFailures.sum(), failures.authFailures.sum(),
                failures.decodeFailures.sum(), failures.refusedConnections.sum(), connections.totals());
    }

    // ---- lifecycle ----

    /**
     * Stops listening, hands what is queued on links to the sockets (waiting up to {@code grace}
     * until they took it), closes every link, and stops the event loops.
     *
     * @return how many messages were not sent: {@code [queued on links, waiting for a link]}
     */
    public long[] close(Duration grace) {
        closed = true;
        acceptor.close();
        dataConns.close();
        Connections.Unsent u = connections.drain(grace);
        long[] unsent = {u.onLinks(), u.waiting()};
        connections.close();
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS); // links, and handshakes under way
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        return unsent;
    }
}
