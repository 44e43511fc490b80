package org.aemp;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.aemp.internal.Incidents;
import org.aemp.internal.kernel.BusyMailbox;
import org.aemp.internal.kernel.Ids;
import org.aemp.internal.kernel.Kernel;
import org.aemp.internal.kernel.Messages;
import org.aemp.internal.kernel.Port;
import org.aemp.internal.kernel.PortTask;
import org.aemp.internal.kernel.Reasons;
import org.aemp.internal.net.LinkCounts;
import org.aemp.internal.net.NetStats;
import org.aemp.internal.net.Network;
import org.aemp.spi.Codec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AEMP node: a process-level endpoint with a node id that owns ports and talks to other nodes,
 * Java or Perl AnyEvent::MP 2.02, over the AEMP wire protocol. Start one with
 * {@link #start(NodeConfig)} (AEMP {@code configure}).
 *
 * <h2>Threading</h2>
 * All methods are thread-safe and none blocks: {@link #send send}, {@link #kill kill},
 * {@link #monitor monitor}, {@link #spawn spawn} and {@link #call call} return at once. Socket I/O
 * runs on Netty event loops, where no user code ever runs. Callbacks ({@link Receiver},
 * {@link DownHandler}, {@link InitFunction}, timers) run on the node's worker threads
 * ({@code aemp-<node>-worker-N}). Callbacks of one port never run at the same time, messages
 * from one sender to one port arrive in the order they were sent, and ports run in parallel.
 *
 * <h2>Messages</h2>
 * A message is a list of plain values: {@code null} (Perl {@code undef}), {@link String},
 * {@link Boolean}, {@link Number} (Integer, Long, BigInteger, Double, ...), {@code byte[]},
 * {@link List} and {@link Map} with String keys, nested freely. Local delivery passes the very
 * same objects, so a message must not be changed after it is sent. Over the wire, JSON and CBOR
 * decode integers as Integer, Long or BigInteger (the smallest that fits) and other numbers as
 * Double; Perl may send a number as a string and booleans as {@code "1"}/{@code ""}, so be lenient
 * when reading what Perl sends. {@code byte[]} arrives from JSON and CBOR as a String of
 * characters U+0000 to U+00FF, one per byte (Perl has no separate byte type).
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final String id;
    private final NodeConfig config;
    private final List<Codec> codecs;
    private final NodeAssembly parts;
    private final Kernel kernel;
    private final Database db;
    private final DataConn dataConn;

    private Node(NodeConfig config, List<Codec> codecs, NodeAssembly parts) {
        this.config = config;
        this.codecs = codecs;
        this.parts = parts;
        this.id = parts.id;
        this.kernel = parts.kernel;
        this.db = new Database(parts.kernel, parts.global);
        this.dataConn = new DataConn(this, id, parts.network.dataConns(), parts.dataConnReceivers);
    }

    /**
     * AEMP {@code configure}: starts a node. Works out the node id, finds the codecs and auth
     * methods on the class path, listens on the binds and starts connecting to the seeds.
     *
     * @throws org.aemp.AempException if no codec is on the class path (the message names the jar to
     *     add), or the configuration cannot work
     * @throws IOException if a listen address cannot be bound
     */
    public static Node start(NodeConfig config) throws IOException {
        requireNonNull(config, "config");
        String runiq = config.runiq().orElseGet(Ids::runiq);
        String id = Ids.expandNodeId(config.nodeId(), org.aemp.config.Profiles.hostName(), runiq);
        List<Codec> codecs = Providers.codecs(
                config.codecs().orElseGet(() -> Providers.load(Codec.class, Node.class.getClassLoader())),
                config.framingFormat().orElse(null));
        NodeAssembly parts = new NodeAssembly(config, id, runiq, Ids.hasRandomPart(config.nodeId()), codecs);
        Node node = new Node(config, codecs, parts);
        config.functions().forEach(node::register);
        try {
            parts.network.listen(config.binds());
        } catch (IOException | RuntimeException e) {
            node.close();
            throw e;
        }
        parts.global.publishAddresses(parts.network.boundAddresses());
        if (config.global()) {
            parts.global.becomeGlobal();
        }
        if (!config.seeds().isEmpty()) {
            parts.global.seeds(config.seeds());
        }
        try {
            node.startServices(config.services());
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        log.info("node {} started (framings {})", id, codecs.stream().map(Codec::name).toList());
        return node;
    }

    /**
     * AEMP {@code configure} from a profile: reads the rc file ({@code $PERL_ANYEVENT_MP_RC}, else
     * {@code ~/.perl-anyevent-mp}), resolves {@code profile} (null: the host name) with
     * {@code args} as configure arguments (the rc file wins unless {@code force} is set, as in
     * AEMP), and starts the node.
     *
     * @throws IOException if the rc file cannot be read or parsed, or a bind fails
     * @throws org.aemp.config.ConfigException if a profile value has the wrong type
     */
    public static Node configure(String profile, Map<String, ?> args) throws IOException {
        Map<String, Object> all = new java.util.LinkedHashMap<>(args);
        if (profile != null) {
            all.put(org.aemp.config.Profiles.PROFILE, profile);
        }
        var profiles = org.aemp.config.Profiles.of(org.aemp.config.RcFile.locate().load());
        return start(NodeConfig.builder(profiles.configure(all)).build());
    }

    /** AEMP {@code $NODE}: this node's id. */
    public String id() {
        return id;
    }

    /** The configuration this node was started with. */
    public NodeConfig config() {
        return config;
    }

    /** The codecs this node offers, in order of preference. */
    public List<Codec> codecs() {
        return codecs;
    }

    /** This node's node port ({@code id#}), the destination of kernel requests. */
    public PortId nodePort() {
        return PortId.nodePort(id);
    }

    /** AEMP {@code port_is_local}: true if {@code port} lives on this node. */
    public boolean isLocal(PortId port) {
        return kernel.isLocal(port.node());
    }

    // ---- ports ----

    /**
     * AEMP {@code port}: creates a port with no default receiver. A message that no tag receiver
     * matches kills it with {@code ("unhandled_message", "no callback found for message '<tag>'")}.
     */
    public PortId newPort() {
        return new PortId(id, kernel.newPort(null));
    }

    /**
     * AEMP {@code port { ... }}: creates a port whose default receiver gets every message that no
     * tag receiver matches, whole.
     */
    public PortId newPort(Receiver receiver) {
        return new PortId(id, kernel.newPort(PortContext.handler(this, requireNonNull(receiver, "receiver"))));
    }

    /**
     * AEMP {@code rcv $port, $cb}: replaces the default receiver of local port {@code port},
     * creating the port if it does not exist (this is how well-known names such as
     * {@code node#echo} come to life, and how spawn init functions create their port).
     *
     * @return {@code port}
     * @throws IllegalArgumentException if {@code port} is not local, or is the node port
     */
    public PortId receive(PortId port, Receiver receiver) {
        kernel.receive(localName(port), PortContext.handler(this, requireNonNull(receiver, "receiver")));
        return port;
    }

    /**
     * AEMP {@code rcv $port, tag => $cb}: registers (or replaces) the receiver of messages whose first
     * element equals {@code tag}; it gets the message without the tag. Creates the port if needed.
     *
     * @return a guard that unregisters this receiver
     * @throws IllegalArgumentException if {@code port} is not local, or is the node port
     */
    public Guard receive(PortId port, String tag, Receiver receiver) {
        String name = localName(port);
        Runnable cancel = kernel.receive(name, requireNonNull(tag, "tag"),
                PortContext.handler(this, requireNonNull(receiver, "receiver")));
        return cancel::run;
    }

    /** The name of a local port other than the node port, for {@code rcv}. */
    private String localName(PortId port) {
        if (!kernel.isLocal(requireNonNull(port, "port").node())) {
            throw new IllegalArgumentException("rcv can only be called on local ports: " + port + " is not on " + id);
        }
        if (port.isNodePort()) {
            throw new IllegalArgumentException("cannot register receivers on the node port " + port);
        }
        return port.name();
    }

    // ---- send ----

    /**
     * AEMP {@code snd}: sends a message to any port, local or remote. Returns at once and never
     * reports failure: a message to a port that does not exist is dropped, and a lost connection
     * shows only through monitors. The array must not be changed after the call.
     *
     * @throws IllegalArgumentException if the message is for another node and holds a value that is
     *     not a plain value (see the class documentation)
     */
    public void send(PortId to, Object... message) {
        requireNonNull(to, "to");
        kernel.send(to.node(), to.name(), Messages.wrap(message));
    }

    /** AEMP {@code snd} with the message as a list, which must not be changed after the call. */
    public void send(PortId to, List<?> message) {
        @SuppressWarnings("unchecked")
        List<Object> m = (List<Object>) requireNonNull(message, "message");
        requireNonNull(to, "to");
        kernel.send(to.node(), to.name(), m);
    }

    /**
     * AEMP {@code snd}, but only if the destination can take it now: returns false, and sends
     * nothing, if the link to the port's node is busy (more than {@link NodeConfig#linkBusyThreshold}
     * queued for it) or the local port's mailbox is (see {@link NodeConfig#mailboxBusyMessages}).
     * A producer that gets false can wait with {@link #whenReady} and try again, so that memory
     * stays bounded however slow the receiver. A plain {@link #send} never refuses: at a link's hard
     * limit the link fails and its monitors fire. Never blocks.
     *
     * @return true if the message was sent (queued), false if refused
     * @throws IllegalArgumentException as {@link #send} does
     */
    public boolean trySend(PortId to, Object... message) {
        requireNonNull(to, "to");
        return kernel.trySend(to.node(), to.name(), Messages.wrap(message));
    }

    /**
     * Completes (on any thread) once {@code to} can take messages again: the link to its node, or
     * its local mailbox, is no longer busy. Completes at once if it is not busy.
     */
    public CompletableFuture<Void> whenReady(PortId to) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        requireNonNull(to, "to");
        kernel.whenReady(to.node(), to.name(), () -> ready.complete(null));
        return ready;
    }

    /**
     * Calls {@code listener} whenever the link to a node turns busy or ready again, on a worker
     * thread, one call at a time, in order.
     *
     * @return a guard that removes the listener
     */
    public Guard monitorBusy(BusyListener listener) {
        Runnable cancel = parts.network.monitorBusy(requireNonNull(listener, "listener")::changed);
        return cancel::run;
    }

    /**
     * Gives local {@code port} a hard mailbox capacity: once more than {@code messages} wait, the
     * port is killed with {@code ("mailbox_overflow", ...)}, so its monitors fire, and what waited
     * is dropped. 0 removes the capacity (the default: a busy mailbox only slows its senders).
     *
     * @throws IllegalArgumentException if {@code port} is not local, or {@code messages} is negative
     */
    public void limitMailbox(PortId port, int messages) {
        if (messages < 0) {
            throw new IllegalArgumentException("messages must be >= 0: " + messages);
        }
        if (!kernel.isLocal(requireNonNull(port, "port").node()) || port.isNodePort()) {
            throw new IllegalArgumentException("mailbox capacity applies to local ports only: " + port);
        }
        kernel.mailboxCapacity(port.name(), messages);
    }

    /** The numbers to watch on this node: its links, busy mailboxes and failure counts. A snapshot. */
    public NodeStats stats() {
        NetStats net = parts.network.stats();
        List<LinkStats> links = new ArrayList<>();
        for (LinkCounts c : net.links()) {
            links.add(new LinkStats(c.node(), c.up(), c.framing(), c.messagesIn(), c.messagesOut(), c.bytesIn(),
                    c.bytesOut(), c.backlogBytes(), c.busy(), c.busyTime(), c.refusals(), c.overflows(), c.auth(),
                    c.tls(), c.provider()));
        }
        List<NodeStats.Mailbox> busy = new ArrayList<>();
        for (BusyMailbox m : kernel.busyMailboxes()) {
            busy.add(new NodeStats.Mailbox(new PortId(id, m.name()), m.messages(), m.bytes()));
        }
        LinkCounts t = net.totals();
        return new NodeStats(links, busy, net.handshakeFailures(), net.authFailures(), net.decodeFailures(),
                net.refusedConnections(), new NodeStats.Totals(t.messagesIn(), t.messagesOut(), t.bytesIn(),
                        t.bytesOut(), t.busyTime(), t.refusals(), t.overflows()));
    }

    /**
     * Calls {@code listener} on each incident as it happens: a failed handshake, a send that hit a
     * link's backlog limit, a mailbox over its capacity (see {@link IncidentListener}). On a worker
     * thread, one call at a time, in order. For metrics and flight recording; while nobody
     * listens, an incident costs nothing more than its count in {@link #stats()}.
     *
     * @return a guard that removes the listener
     */
    public Guard monitorIncidents(IncidentListener listener) {
        requireNonNull(listener, "listener");
        Runnable cancel = parts.incidents.listen(new Incidents.Listener() {
            @Override
            public void handshakeFailed(String node, String address, String fault, String reason) {
                listener.handshakeFailed(node, address, IncidentListener.HandshakeFault.valueOf(fault), reason);
            }

            @Override
            public void linkOverflowed(String node, String reason) {
                listener.linkOverflowed(node, reason);
            }

            @Override
            public void mailboxOverflowed(String port, String reason) {
                listener.mailboxOverflowed(new PortId(id, port), reason);
            }
        });
        return cancel::run;
    }

    // ---- kill ----

    /**
     * AEMP {@code kil}: kills a port, local or remote. No reason is a normal exit; a reason
     * ({@code "my_error", "detail"}) is abnormal and spreads to linked ports. A local kill takes
     * effect later, never inside this call; killing a port that does not exist does nothing.
     *
     * @throws IllegalArgumentException for a node port, which cannot be killed
     */
    public void kill(PortId port, Object... reason) {
        requireNonNull(port, "port");
        kernel.kill(port.node(), port.name(), KillReason.of(reason).values());
    }

    /** AEMP {@code kil} with a reason object. */
    public void kill(PortId port, KillReason reason) {
        requireNonNull(port, "port");
        kernel.kill(port.node(), port.name(), requireNonNull(reason, "reason").values());
    }

    // ---- monitors ----

    /**
     * AEMP {@code mon $port, $callback}: calls {@code handler} once when {@code port} dies, for any
     * reason, normal exits included. It also fires, with {@code no_such_port}, if the port does not
     * exist, and with {@code transport_error} for every monitor of a node whose connection fails.
     * Monitoring a node port fires only on connection failure.
     *
     * @return a guard that removes the monitor (for a remote port, removing the last one sends
     *     {@code mon0})
     */
    public Guard monitor(PortId port, DownHandler handler) {
        requireNonNull(port, "port");
        requireNonNull(handler, "handler");
        Runnable cancel = kernel.monitor(port.node(), port.name(), reason -> handler.down(KillReason.wrap(reason)));
        return cancel::run;
    }

    /**
     * AEMP {@code mon $port, $rcvport}: when {@code port} dies abnormally, kills {@code victim} with
     * the same reason (a link: abnormal deaths spread, normal ones do not).
     */
    public Guard monitorKill(PortId port, PortId victim) {
        requireNonNull(port, "port");
        requireNonNull(victim, "victim");
        Runnable cancel = kernel.monitorKill(port.node(), port.name(), victim.node(), victim.name());
        return cancel::run;
    }

    /**
     * AEMP {@code mon $port, $rcvport, @msg}: when {@code port} dies, for any reason, sends
     * {@code message} followed by the reason's values to {@code to}. Sending to a port of your own
     * is the way to handle a death in that port's context, in order with its other messages.
     */
    public Guard monitorSend(PortId port, PortId to, Object... message) {
        requireNonNull(port, "port");
        requireNonNull(to, "to");
        Runnable cancel = kernel.monitorSend(port.node(), port.name(), to.node(), to.name(),
                Messages.wrap(message.clone()));
        return cancel::run;
    }

    /**
     * AEMP {@code mon_guard}: keeps {@code refs} reachable until {@code port} dies (or the guard is
     * closed), then lets them go.
     */
    public Guard monitorGuard(PortId port, Object... refs) {
        Object[][] held = {refs.clone()};
        requireNonNull(port, "port");
        Runnable cancel = kernel.monitor(port.node(), port.name(), reason -> held[0] = null);
        return () -> {
            held[0] = null;
            cancel.run();
        };
    }

    // ---- port context ----

    /**
     * AEMP {@code peval}: runs {@code body} in the context of local port {@code port}, on its
     * worker, serialized with its callbacks. If {@code body} throws, the port is killed with
     * {@code ("die", message)} and the future fails with the exception.
     */
    public <T> CompletableFuture<T> peval(PortId port, Callable<T> body) {
        requireNonNull(port, "port");
        requireNonNull(body, "body");
        CompletableFuture<T> result = new CompletableFuture<>();
        PortTask task = new PortTask() {
            @Override
            public void run(Port p) throws Exception {
                try {
                    result.complete(body.call());
                } catch (Exception | Error e) {
                    result.completeExceptionally(e);
                    throw e;
                }
            }

            @Override
            public void dropped() {
                result.completeExceptionally(new AempException("peval: port " + port + " died first"));
            }
        };
        if (!kernel.isLocal(port.node()) || !kernel.runInPort(port.name(), task)) {
            result.completeExceptionally(new AempException("peval: no such local port " + port));
        }
        return result;
    }

    // ---- spawn, call, timers ----

    /**
     * AEMP {@code spawn}: creates a port on {@code node} (a node id, or any port id on that node) by
     * running the init function registered there under {@code function} with {@code args}. Returns
     * the new port's id at once; messages and monitors for it may follow straight away. If the
     * function is unknown there or throws, a monitor on the returned port fires.
     *
     * @throws IllegalArgumentException if {@code function} has no {@code ::} (Perl's rule; use
     *     {@code ::name} for a top-level name)
     */
    public PortId spawn(String node, String function, Object... args) {
        String target = PortId.nodeOf(requireNonNull(node, "node"));
        return new PortId(target, kernel.spawn(target, requireNonNull(function, "function"), Messages.wrap(args)));
    }

    /**
     * AEMP {@code cal} with a timeout: sends {@code message} plus a fresh reply port's id (appended
     * last) to {@code to}, and completes with the first message the reply port receives. Fails with
     * {@link java.util.concurrent.TimeoutException} if none arrives within {@code timeout}. The
     * future completes on a worker thread.
     */
    public CompletableFuture<List<Object>> call(Duration timeout, PortId to, Object... message) {
        return call(requireNonNull(to, "to"), requireNonNull(timeout, "timeout"), Messages.wrap(message));
    }

    /**
     * AEMP {@code cal} without a timeout: like {@link #call(Duration, PortId, Object...)}, but
     * monitors {@code to} instead, and fails with {@link PortDownException} if it dies (or its
     * node becomes unreachable) before replying.
     */
    public CompletableFuture<List<Object>> call(PortId to, Object... message) {
        return call(requireNonNull(to, "to"), null, Messages.wrap(message));
    }

    /** {@code cal}: a reply port, a timer or a monitor on {@code to}, and the message. */
    private CompletableFuture<List<Object>> call(PortId to, Duration timeout, List<Object> message) {
        CompletableFuture<List<Object>> result = new CompletableFuture<>();
        String reply = kernel.newPort((port, answer) -> {
            kernel.kill(id, port.name(), Reasons.NORMAL);
            result.complete(answer);
        });
        Runnable watch = timeout != null
                ? kernel.after(timeout, () -> result.completeExceptionally(
                        new TimeoutException("no reply from " + to + " within " + timeout)))
                : kernel.monitor(to.node(), to.name(), reason -> result.completeExceptionally(
                        new PortDownException(to, KillReason.wrap(reason))));
        result.whenComplete((v, e) -> {
            watch.run();
            kernel.kill(id, reply, Reasons.NORMAL);
        });
        try {
            kernel.send(to.node(), to.name(), Messages.concat(message, List.of(id + "#" + reply)));
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            throw e;
        }
        return result;
    }

    /** AEMP {@code after $seconds, $cb}: runs {@code task} once on a worker thread after {@code delay}. */
    public Guard after(Duration delay, Runnable task) {
        Runnable cancel = kernel.after(requireNonNull(delay, "delay"), requireNonNull(task, "task"));
        return cancel::run;
    }

    /** AEMP {@code after $seconds, $port, @msg}: sends {@code message} to {@code to} after {@code delay}. */
    public Guard after(Duration delay, PortId to, Object... message) {
        requireNonNull(to, "to");
        List<Object> m = Messages.wrap(message.clone());
        Runnable cancel = kernel.after(requireNonNull(delay, "delay"), () -> kernel.send(to.node(), to.name(), m));
        return cancel::run;
    }

    /** The name of the built-in service that makes a node global, as in AEMP. */
    static final String GLOBAL_SERVICE = "AnyEvent::MP::Global::";

    private void startServices(List<Object> services) {
        if (services.isEmpty()) {
            return;
        }
        Map<String, Service> found = new java.util.LinkedHashMap<>();
        for (Service s : Providers.load(Service.class, Node.class.getClassLoader())) {
            found.putIfAbsent(s.name(), s);
        }
        for (Object entry : services) {
            String name = entry instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(entry);
            List<Object> args = entry instanceof List<?> l
                    ? new ArrayList<>(l.subList(1, l.size())) : List.of();
            if (name.equals(GLOBAL_SERVICE)) {
                parts.global.becomeGlobal();
                continue;
            }
            Service s = found.get(name);
            if (s == null && name.endsWith("::")) {
                s = found.get(name.substring(0, name.length() - 2));
            }
            if (s == null) {
                throw new AempException("unknown service '" + name + "'; available: " + found.keySet()
                        + " and " + GLOBAL_SERVICE + " (services are found on the class path through"
                        + " META-INF/services/org.aemp.Service)");
            }
            try {
                s.start(this, args);
            } catch (Exception e) {
                throw new AempException("service '" + name + "' failed to start: " + e.getMessage(), e);
            }
        }
    }

    // ---- network ----

    /**
     * The addresses this node listens on ({@code host:port}, the ports the OS picked filled in):
     * what it publishes so that others can connect.
     */
    public List<String> listenAddresses() {
        return parts.network.boundAddresses();
    }

    /**
     * Connects to whatever node listens at {@code address} ({@code host:port}), as a node does with
     * its seeds. Completes with that node's id once the link is up, or at once if a link to that
     * node is up already (a second link between two nodes is never made).
     */
    public CompletableFuture<String> connect(String address) {
        return parts.network.dial(requireNonNull(address, "address"));
    }

    /**
     * Tells this node where {@code node} listens, so that sending to it connects there on demand.
     * (In a network with seeds, addresses are found through the global service instead.)
     */
    public void addAddresses(String node, List<String> addresses) {
        parts.network.addAddresses(requireNonNull(node, "node"), List.copyOf(addresses));
    }

    /** AEMP {@code up_nodes}: the ids of the nodes with an established link (this one not included). */
    public List<String> upNodes() {
        return parts.network.upNodes();
    }

    /**
     * AEMP {@code node_is_up}: true if {@code node} is this node or has an established link, false
     * if it is known (connecting, or its addresses are known) but not connected, empty if unknown.
     */
    public Optional<Boolean> nodeIsUp(String node) {
        if (node.equals(id) || parts.network.isUp(node)) {
            return Optional.of(true);
        }
        return parts.network.isKnown(node) ? Optional.of(false) : Optional.empty();
    }

    /**
     * AEMP {@code mon_nodes}: calls {@code listener} with {@code (node, true, normal)} whenever a link
     * comes up and {@code (node, false, transport_error reason)} whenever one goes down. Calls run
     * on a worker thread one at a time in the order of the events, so an up is always followed by
     * its down. Listeners should not block.
     *
     * @return a guard that removes the listener
     */
    public Guard monitorNodes(NodeListener listener) {
        requireNonNull(listener, "listener");
        Runnable cancel = parts.network.monitorNodes((node, up, reason) -> listener.changed(node, up,
                KillReason.wrap(reason)));
        return cancel::run;
    }

    /**
     * Re-reads the node's certificate: links made from now on use {@code pem}; links already up
     * stay as they are.
     *
     * @throws IllegalStateException if the node was started without a certificate
     * @throws AempException if {@code pem} cannot be used
     */
    public void reloadCertificate(String pem) {
        parts.reloadCertificate(requireNonNull(pem, "pem"));
        log.info("node {}: certificate reloaded", id);
    }

    /** The distributed database of the network this node is in (AEMP {@code db_*}). */
    public Database db() {
        return db;
    }

    /** Data connections to and from this node (AEMP {@code AnyEvent::MP::DataConn}). */
    public DataConn dataConn() {
        return dataConn;
    }

    /** True once this node is a global node (it holds the network's database). Waits briefly for the global service's thread. */
    public boolean isGlobal() {
        return parts.global.isGlobal().join();
    }

    /** The node's network, for tests in this package (see {@code NodeInternals} in the test jar). */
    Network network() {
        return parts.network;
    }

    /**
     * Allows remote nodes (and local spawns) to run {@code function} under {@code name}, e.g.
     * {@code My::Pkg::init}. Only registered functions ever run.
     *
     * @return a guard that unregisters it
     */
    public Guard register(String name, InitFunction function) {
        requireNonNull(name, "name");
        requireNonNull(function, "function");
        Runnable cancel = kernel.register(name, PortContext.handler(this, function));
        return cancel::run;
    }

    // ---- lifecycle ----

    /**
     * Closes the node: kills every local port with {@code ("shutdown", ...)} (monitors fire, here
     * and on linked nodes), hands what is queued on links to the sockets, waiting up to the
     * configured {@link NodeConfig#closeTimeout() close timeout} until they took it, closes the
     * connections, and stops the threads, waiting a few seconds for running callbacks. Logs how
     * many messages were not sent, if any. Idempotent; never throws.
     */
    @Override
    public void close() {
        close(config.closeTimeout());
    }

    /**
     * Like {@link #close()}, waiting up to {@code grace} for queued messages to be sent.
     *
     * @return how many messages were not sent: still queued on a link when the time was up, or
     *     waiting for a link that was not up; 0 if the node was closed already
     */
    public long close(Duration grace) {
        requireNonNull(grace, "grace");
        long[] unsent = parts.close(grace);
        if (unsent == null) {
            return 0;
        }
        if (unsent[0] > 0) {
            log.warn("node {} stopped: {} messages were not sent: {} queued on links, not taken within {} ms; {}"
                    + " waiting for nodes not connected", id, unsent[0] + unsent[1], unsent[0], grace.toMillis(),
                    unsent[1]);
        } else if (unsent[1] > 0) {
            log.info("node {} stopped: {} messages waited for nodes not connected and were not sent", id, unsent[1]);
        } else {
            log.info("node {} stopped", id);
        }
        return unsent[0] + unsent[1];
    }

    /** True once {@link #close()} has been called. */
    public boolean isClosed() {
        return parts.isClosed();
    }

    @Override
    public String toString() {
        return "Node[" + id + "]";
    }
}
