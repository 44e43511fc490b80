package org.aemp.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import org.aemp.Guard;
import org.aemp.IncidentListener;
import org.aemp.LinkStats;
import org.aemp.Node;
import org.aemp.NodeStats;
import org.aemp.PortId;

/**
 * Binds a node's numbers to Micrometer: per node, and per link to another node. Bind it as any
 * {@link MeterBinder}:
 *
 * <pre>{@code
 * AempMetrics metrics = new AempMetrics(node);
 * metrics.bindTo(registry);          // any number of registries
 * ...
 * metrics.close();                   // stops listening and removes the meters (optional)
 * }</pre>
 *
 * <p>Almost every meter is a function counter or gauge that reads {@link Node#stats()} when the
 * registry reads it, so nothing is counted twice and nothing costs anything while nobody
 * scrapes; one snapshot of the stats serves all meters read within 100 ms (one scrape). Only
 * node ups and downs and mailbox overflows are counted here, from the node's events
 * ({@link Node#monitorNodes}, {@link Node#monitorIncidents}), from the first {@code bindTo} on.
 *
 * <h2>Meters</h2>
 * Every meter has the tag {@code node} (this node's id); the link meters also {@code peer} (the
 * other node's id).
 * <table>
 *   <caption>Node meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code aemp.messages.sent}, {@code aemp.messages.received}</td><td>counter</td>
 *       <td>messages queued for and received from other nodes, all links ever</td></tr>
 *   <tr><td>{@code aemp.bytes.sent}, {@code aemp.bytes.received}</td><td>counter (bytes)</td>
 *       <td>bytes handed to and received from sockets, all links ever</td></tr>
 *   <tr><td>{@code aemp.busy.time}</td><td>counter (seconds)</td><td>time links were busy, added up</td></tr>
 *   <tr><td>{@code aemp.sends.refused}</td><td>counter</td><td>sends refused by busy links ({@code trySend})</td></tr>
 *   <tr><td>{@code aemp.backlog.overflows}</td><td>counter</td><td>sends that hit a link's backlog limit (the link failed)</td></tr>
 *   <tr><td>{@code aemp.backlog}</td><td>gauge (bytes)</td><td>bytes queued on all links now</td></tr>
 *   <tr><td>{@code aemp.links.up}</td><td>gauge</td><td>nodes with a link up now</td></tr>
 *   <tr><td>{@code aemp.node.up}, {@code aemp.node.down}</td><td>counter</td><td>links that came up, went down (since bound)</td></tr>
 *   <tr><td>{@code aemp.handshake.failures}</td><td>counter</td><td>handshakes failed by the peer's fault (protocol, timeout)</td></tr>
 *   <tr><td>{@code aemp.auth.failures}</td><td>counter</td><td>handshakes whose auth token did not check out</td></tr>
 *   <tr><td>{@code aemp.decode.failures}</td><td>counter</td><td>links failed on input their framing could not decode</td></tr>
 *   <tr><td>{@code aemp.connections.refused}</td><td>counter</td><td>connections refused by the admission limits</td></tr>
 *   <tr><td>{@code aemp.mailboxes.busy}</td><td>gauge</td><td>local mailboxes over their busy threshold now</td></tr>
 *   <tr><td>{@code aemp.mailbox.depth.max}</td><td>gauge</td><td>messages in the deepest busy mailbox (0 if none)</td></tr>
 *   <tr><td>{@code aemp.mailbox.overflows}</td><td>counter</td><td>ports killed for going over their mailbox capacity (since bound)</td></tr>
 * </table>
 * <table>
 *   <caption>Link meters (tags node, peer)</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code aemp.link.messages.sent}, {@code aemp.link.messages.received}</td><td>counter</td><td>messages queued for, received from the peer</td></tr>
 *   <tr><td>{@code aemp.link.bytes.sent}, {@code aemp.link.bytes.received}</td><td>counter (bytes)</td><td>bytes to and from the peer</td></tr>
 *   <tr><td>{@code aemp.link.busy.time}</td><td>counter (seconds)</td><td>time the link was busy</td></tr>
 *   <tr><td>{@code aemp.link.refusals}</td><td>counter</td><td>sends refused because the link was busy</td></tr>
 *   <tr><td>{@code aemp.link.overflows}</td><td>counter</td><td>sends that hit the backlog limit</td></tr>
 *   <tr><td>{@code aemp.link.backlog}</td><td>gauge (bytes)</td><td>bytes queued and not yet taken by the socket</td></tr>
 *   <tr><td>{@code aemp.link.busy}, {@code aemp.link.up}</td><td>gauge</td><td>1 while busy, up; else 0</td></tr>
 * </table>
 * Link meters are made when a link comes up (so only authenticated nodes get them, however many
 * strangers send to unknown nodes) and removed once the node has left the node's table (it is
 * down and nothing waits for it). A node that comes back gets them anew, starting from its
 * entry's numbers; the node meters count every link ever and only grow.
 *
 * <p>Thread-safe. The meters are read on whatever thread reads the registry; node events are
 * handled on the node's worker threads and take a lock only to add or remove a node's meters.
 */
public final class AempMetrics implements MeterBinder, AutoCloseable {
    public static final String MESSAGES_SENT = "aemp.messages.sent";
    public static final String MESSAGES_RECEIVED = "aemp.messages.received";
    public static final String BYTES_SENT = "aemp.bytes.sent";
    public static final String BYTES_RECEIVED = "aemp.bytes.received";
    public static final String BUSY_TIME = "aemp.busy.time";
    public static final String SENDS_REFUSED = "aemp.sends.refused";
    public static final String BACKLOG_OVERFLOWS = "aemp.backlog.overflows";
    public static final String BACKLOG = "aemp.backlog";
    public static final String LINKS_UP = "aemp.links.up";
    public static final String NODE_UP = "aemp.node.up";
    public static final String NODE_DOWN = "aemp.node.down";
    public static final String HANDSHAKE_FAILURES = "aemp.handshake.failures";
    public static final String AUTH_FAILURES = "aemp.auth.failures";
    public static final String DECODE_FAILURES = "aemp.decode.failures";
    public static final String CONNECTIONS_REFUSED = "aemp.connections.refused";
    public static final String MAILBOXES_BUSY = "aemp.mailboxes.busy";
    public static final String MAILBOX_DEPTH_MAX = "aemp.mailbox.depth.max";
    public static final String MAILBOX_OVERFLOWS = "aemp.mailbox.overflows";
    public static final String LINK_MESSAGES_SENT = "aemp.link.messages.sent";
    public static final String LINK_MESSAGES_RECEIVED = "aemp.link.messages.received";
    public static final String LINK_BYTES_SENT = "aemp.link.bytes.sent";
    public static final String LINK_BYTES_RECEIVED = "aemp.link.bytes.received";
    public static final String LINK_BUSY_TIME = "aemp.link.busy.time";
    public static final String LINK_REFUSALS = "aemp.link.refusals";
    public static final String LINK_OVERFLOWS = "aemp.link.overflows";
    public static final String LINK_BACKLOG = "aemp.link.backlog";
    public static final String LINK_BUSY = "aemp.link.busy";
    public static final String LINK_UP = "aemp.link.up";

    private final Node node;
    private final Tags tags;
    private final StatsReader reader;
    private final LongAdder ups = new LongAdder();
    private final LongAdder downs = new LongAdder();
    private final LongAdder mailboxOverflows = new LongAdder();
    private final AtomicBoolean sweepScheduled = new AtomicBoolean();

    private final List<MeterRegistry> registries = new ArrayList<>(); // guarded by this
    private final List<LinkMeters.Registered> nodeMeters = new ArrayList<>(); // guarded by this
    /** Changed under this lock; read without it, by the meters (a registry may hold its own lock then). */
    private final Map<String, LinkMeters> links = new ConcurrentHashMap<>();
    private final List<Guard> listening = new ArrayList<>(); // guarded by this
    private boolean closed; // guarded by this

    /** Meters for {@code node}; nothing is registered or listened to until {@link #bindTo}. */
    public AempMetrics(Node node) {
        this(node, System::nanoTime);
    }

    /** With the clock that ages the stats snapshots (tests). */
    AempMetrics(Node node, LongSupplier clock) {
        this.node = requireNonNull(node, "node");
        this.tags = Tags.of("node", node.id());
        this.reader = new StatsReader(node, clock);
    }

    /**
     * Registers the node meters, and the link meters of the links up now, in {@code registry}; the
     * first call also starts listening to the node's events.
     *
     * @throws IllegalStateException if this binder is closed
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        requireNonNull(registry, "registry");
        if (closed) {
            throw new IllegalStateException("the metrics of node " + node.id() + " are closed");
        }
        if (registries.contains(registry)) {
            return;
        }
        registries.add(registry);
        registerNodeMeters(registry);
        for (LinkMeters l : links.values()) {
            l.register(registry, node, tags);
        }
        if (listening.isEmpty()) {
            listening.add(node.monitorNodes((other, up, reason) -> changed(other, up)));
            listening.add(node.monitorIncidents(new IncidentListener() {
                @Override
                public void mailboxOverflowed(PortId port, String reason) {
                    mailboxOverflows.increment();
                }
            }));
            for (String other : node.upNodes()) {
                addLink(other);
            }
        }
    }

    private void registerNodeMeters(MeterRegistry r) {
        counter(r, MESSAGES_SENT, "messages queued for other nodes", BaseUnits.MESSAGES, s -> s.totals().messagesOut());
        counter(r, MESSAGES_RECEIVED, "messages received from other nodes", BaseUnits.MESSAGES,
                s -> s.totals().messagesIn());
        counter(r, BYTES_SENT, "bytes handed to the sockets of links", BaseUnits.BYTES, s -> s.totals().bytesOut());
        counter(r, BYTES_RECEIVED, "bytes received on links", BaseUnits.BYTES, s -> s.totals().bytesIn());
        counter(r, BUSY_TIME, "time links were busy, added up", "seconds", s -> s.totals().busyTime().toNanos() / 1e9);
        counter(r, SENDS_REFUSED, "sends refused because a link was busy (trySend)", BaseUnits.OPERATIONS,
                s -> s.totals().refusals());
        counter(r, BACKLOG_OVERFLOWS, "sends that hit a link's backlog limit, failing the link", BaseUnits.EVENTS,
                s -> s.totals().overflows());
        gauge(r, BACKLOG, "bytes queued on all links", BaseUnits.BYTES,
                s -> s.links().stream().mapToLong(LinkStats::backlogBytes).sum());
        gauge(r, LINKS_UP, "nodes with a link up", null, s -> s.links().stream().filter(LinkStats::up).count());
        counter(r, HANDSHAKE_FAILURES, "handshakes failed through the peer's fault (protocol, timeout)",
                BaseUnits.EVENTS, NodeStats::handshakeFailures);
        counter(r, AUTH_FAILURES, "handshakes whose auth token did not check out", BaseUnits.EVENTS,
                NodeStats::authFailures);
        counter(r, DECODE_FAILURES, "links failed on input their framing could not decode", BaseUnits.EVENTS,
                NodeStats::decodeFailures);
        counter(r, CONNECTIONS_REFUSED, "connections refused by the admission limits", BaseUnits.CONNECTIONS,
                NodeStats::refusedConnections);
        gauge(r, MAILBOXES_BUSY, "local mailboxes over their busy threshold", null, s -> s.busyMailboxes().size());
        gauge(r, MAILBOX_DEPTH_MAX, "messages in the deepest busy mailbox", BaseUnits.MESSAGES,
                s -> s.busyMailboxes().stream().mapToInt(NodeStats.Mailbox::messages).max().orElse(0));
        adder(r, NODE_UP, "links that came up", ups);
        adder(r, NODE_DOWN, "links that went down", downs);
        adder(r, MAILBOX_OVERFLOWS, "ports killed for going over their mailbox capacity", mailboxOverflows);
    }

    private void counter(MeterRegistry r, String name, String description, String unit,
            ToDoubleFunction<NodeStats> value) {
        nodeMeters.add(new LinkMeters.Registered(r, FunctionCounter.builder(name, node,
                n -> value.applyAsDouble(read().stats())).tags(tags).description(description).baseUnit(unit)
                .register(r)));
    }

    private void gauge(MeterRegistry r, String name, String description, String unit,
            ToDoubleFunction<NodeStats> value) {
        nodeMeters.add(new LinkMeters.Registered(r, Gauge.builder(name, node,
                n -> value.applyAsDouble(read().stats())).tags(tags).description(description).baseUnit(unit)
                .register(r)));
    }

    private void adder(MeterRegistry r, String name, String description, LongAdder count) {
        nodeMeters.add(new LinkMeters.Registered(r, FunctionCounter.builder(name, node, n -> count.sum())
                .tags(tags).description(description).baseUnit(BaseUnits.EVENTS).register(r)));
    }

    /** The stats snapshot; if a node with meters has left the table, its meters go, on a worker. */
    private StatsReader.Snapshot read() {
        StatsReader.Snapshot s = reader.read();
        boolean gone = links.keySet().stream().anyMatch(other -> !s.links().containsKey(other));
        if (gone && sweepScheduled.compareAndSet(false, true)) {
            try {
                // not on the reading thread: a registry may be iterating its meters there
                node.after(Duration.ZERO, this::sweep);
            } catch (RuntimeException e) {
                sweepScheduled.set(false); // the node is closed: nothing more to sweep for
            }
        }
        return s;
    }

    /** A link came up or went down (a node worker). */
    private void changed(String other, boolean up) {
        if (up) {
            ups.increment();
            addLink(other);
        } else {
            downs.increment();
            reader.invalidate();
            sweep();
        }
    }

    /**
     * (Re)makes the meters of the link to {@code other}: a link that comes up may be a new entry
     * whose counts start again, and new meters give step registries a new baseline.
     */
    private synchronized void addLink(String other) {
        if (closed) {
            return;
        }
        LinkMeters old = links.remove(other);
        if (old != null) {
            old.remove();
        }
        LinkMeters l = new LinkMeters(other, reader);
        links.put(other, l);
        for (MeterRegistry r : registries) {
            l.register(r, node, tags);
        }
    }

    /** Removes the meters of the nodes that have left the table. */
    private void sweep() {
        sweepScheduled.set(false);
        StatsReader.Snapshot s = reader.read();
        synchronized (this) {
            links.values().removeIf(l -> {
                if (s.links().containsKey(l.peer)) {
                    return false;
                }
                l.remove();
                return true;
            });
        }
    }

    /** Stops listening to the node and removes every meter this binder registered. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        listening.forEach(Guard::close);
        listening.clear();
        links.values().forEach(LinkMeters::remove);
        links.clear();
        nodeMeters.forEach(LinkMeters.Registered::remove);
        nodeMeters.clear();
        registries.clear();
    }

    @Override
    public String toString() {
        return "AempMetrics[" + node.id() + "]";
    }
}
