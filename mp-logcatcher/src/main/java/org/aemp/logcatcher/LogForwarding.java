package org.aemp.logcatcher;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.aemp.Context;
import org.aemp.Guard;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.PortId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving side of AEMP's log catcher on one node: answers
 * {@code AnyEvent::MP::LogCatcher::connect} requests by forwarding this JVM's log records to the
 * catcher's port (see {@link LogTap} for where records come from). Made by
 * {@link LogCatcher#serve(Node, ForwardingLimits)}.
 *
 * <h2>What a connect does</h2>
 * A catcher sends {@code ["", "AnyEvent::MP::LogCatcher::connect", 0, "<catcher port>", <level>]}
 * to this node's node port. From then on every record of that level or more severe is sent to
 * the catcher port as {@code [<time>, "<logger name>", <level number>, "<message>"]}, and this node
 * monitors the catcher port: when it dies (the catcher stopped, its node went away or the link
 * broke) forwarding to it stops. The version (0) is not checked, as in Perl. A level may be a
 * number or a name ({@link LogLevel#parse}), {@code 0}/{@code off} (keeps the connection but
 * forwards nothing) or {@code all}. Unlike Perl, a second connect for the same catcher port only
 * changes its level, instead of sending every record twice. A request of the wrong shape, or one
 * beyond {@link ForwardingLimits#maxCatchers()}, is refused with a WARN (at most one a minute); a
 * node configured {@code secure} refuses every connect, as Perl does.
 *
 * <p>Thread-safe. Connect requests run on a worker thread of the node.
 */
public final class LogForwarding implements Guard {
    private static final Logger log = LoggerFactory.getLogger(LogForwarding.class);

    private final Node node;
    private final ForwardingLimits limits;
    private final Map<PortId, Subscription> catchers = new ConcurrentHashMap<>();
    private final RateLimitedWarning badRequest = new RateLimitedWarning(log, Duration.ofMinutes(1));
    private final AtomicLong dropped = new AtomicLong();
    private volatile Guard registration = Guard.none();
    private volatile boolean closed;

    private LogForwarding(Node node, ForwardingLimits limits) {
        this.node = node;
        this.limits = limits;
    }

    static LogForwarding start(Node node, ForwardingLimits limits) {
        LogForwarding f = new LogForwarding(node, limits);
        f.registration = node.register(LogCatcher.CONNECT, f::connect);
        return f;
    }

    /** The node it serves. */
    public Node node() {
        return node;
    }

    /**
     * The catcher ports records are forwarded to now: a record logged once a port is listed here is
     * forwarded to it (if its level is wanted).
     */
    public List<PortId> catchers() {
        return catchers.values().stream().filter(s -> !s.isClosed()).map(s -> s.catcher).toList();
    }

    /** How many records were dropped so far because a catcher's queue was full. */
    public long droppedRecords() {
        return dropped.get();
    }

    /**
     * Stops serving: unregisters {@code connect} and stops forwarding to every catcher (they are
     * not told, as a Perl node does not tell them either). Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true; // a connect under way finishes first, so the loop below sees its catcher
        }
        registration.close();
        for (Subscription s : List.copyOf(catchers.values())) {
            detach(s, "forwarding closed");
        }
    }

    /** Handles {@code connect(version, port, level)}; on a worker thread of the node. */
    private void connect(Context ctx, List<Object> args) {
        if (closed) {
            return;
        }
        if (args.size() < 3) {
            badRequest.warn("log catcher connect from node {} refused: expected (version, port, level), got {} arguments",
                    Text.safe(ctx.sourceNode(), 200), args.size());
            return;
        }
        String portText = args.get(1) instanceof String s ? s : null;
        PortId port = null;
        if (portText != null && portText.indexOf('#') > 0) {
            try {
                port = PortId.parse(portText);
            } catch (IllegalArgumentException e) {
                port = null;
            }
        }
        if (port != null && port.isNodePort()) {
            port = null; // records sent to a node port would read as kernel requests there
        }
        if (port == null) {
            badRequest.warn("log catcher connect from node {} refused: the port must be a port id <node>#<name>, got {}",
                    Text.safe(ctx.sourceNode(), 200), Text.describe(args.get(1)));
            return;
        }
        int level = LogLevel.threshold(args.get(2));
        if (level < 0) {
            badRequest.warn("log catcher connect from node {} refused: the level must be 0 to 9 or a level name"
                    + " such as 'info', got {}", Text.safe(ctx.sourceNode(), 200), Text.describe(args.get(2)));
            return;
        }
        Subscription s;
        synchronized (this) {
            if (closed) {
                return;
            }
            Subscription existing = catchers.get(port);
            if (existing != null && !existing.isClosed()) {
                existing.level(level);
                log.debug("node {}: log catcher {} now gets level {}", node.id(), port, level);
                return;
            }
            if (catchers.size() >= limits.maxCatchers()) {
                badRequest.warn("log catcher connect from node {} refused: node {} serves {} catchers already"
                        + " (ForwardingLimits.maxCatchers)", Text.safe(ctx.sourceNode(), 200), node.id(), catchers.size());
                return;
            }
            s = new Subscription(this, node, port, level, limits);
            LogTap.attach(s); // forwarding starts here; the port is listed only after that
            catchers.put(port, s);
        }
        Subscription sub = s;
        s.started(node.monitor(port, reason -> detach(sub, reason)));
        log.debug("node {}: forwarding log records of level {} and more severe to {}", node.id(), level, port);
    }

    void detach(Subscription s, Object why) {
        if (s.stop()) {
            log.debug("node {}: stopped forwarding log records to {}: {}", node.id(), s.catcher,
                    why instanceof KillReason r && r.isNormal() ? "the catcher port was killed" : why);
        }
        catchers.remove(s.catcher, s);
        LogTap.detach(s);
    }

    void countDropped() {
        dropped.incrementAndGet();
    }
}
