package org.aemp.logcatcher;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.aemp.Context;
import org.aemp.Guard;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.PortId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The catching side of AEMP's log catcher on one node (AEMP {@code AnyEvent::MP::LogCatcher::catch
 * $level}): collects the log records of every other node of the network and logs them here through
 * SLF4J. Made by {@link LogCatcher#catchLogs(Node, LogLevel)}.
 *
 * <h2>What it does</h2>
 * It watches the database family {@value LogCatcher#NODES_FAMILY}, where every node publishes its
 * listen addresses, so it finds all current and future nodes. For each node other than its own it
 * opens a port and sends {@code ["", "AnyEvent::MP::LogCatcher::connect", 0, "<port>", <level>]} to
 * that node's node port; the node then sends {@code [<time>, "<context>", <level>, "<message>"]} to
 * the port for each of its records of that level or more severe. When a node leaves the family,
 * its port is killed, which tells that node to stop. When the link to a node breaks, its port is
 * killed too (a link from the node port), and the catcher connects again a second later while the
 * node is still in the family. (Perl connects again at once.)
 *
 * <h2>How caught records are logged</h2>
 * On the logger {@code org.aemp.logcatcher.remote.<node>} (the node id with {@code .} turned into
 * {@code _}, so that Logback-style hierarchies work), at the SLF4J level of {@link LogLevel#toSlf4j()},
 * with the message {@code [<node><offset>] <context>: <message>}, where the offset appears when the
 * sender's clock differs from this one by 1 ms or more ({@code +0.250s}: the record is that much
 * older than its time says), as Perl's catcher writes it. The same facts come as SLF4J key-value
 * pairs: {@code aemp_node}, {@code aemp_context}, {@code aemp_level} (the AEMP number, so note and
 * critical are not lost) and {@code aemp_time} (seconds since the epoch).
 *
 * <h2>Input from the network</h2>
 * Node ids, contexts and messages are logged with control characters written as {@code \xNN} and
 * cut to {@value #MAX_CONTEXT_CHARS}, {@value #MAX_CONTEXT_CHARS} and
 * {@value LogTap#MAX_MESSAGE_CHARS} characters. A record of the wrong shape (fewer than four
 * elements, a time that is no number, a level that is no level, a list where text belongs), or
 * one sent to a node's port by a different node, is dropped with a WARN, at most one a minute;
 * the port stays open.
 *
 * <p>Thread-safe. Records are logged on the node's worker threads (each node's port runs on one at
 * a time, so each node's records stay in order).
 */
public final class Catcher implements Guard {
    private static final Logger log = LoggerFactory.getLogger(Catcher.class);
    /** Node ids and contexts of caught records are cut to this many characters. */
    public static final int MAX_CONTEXT_CHARS = 256;
    static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

    private final Node node;
    private final LogLevel level;
    private final Map<String, PortId> ports = new ConcurrentHashMap<>();
    private final Map<PortId, Guard> links = new ConcurrentHashMap<>(); // our port -> its link to the node port
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
    private final RateLimitedWarning badRecord = new RateLimitedWarning(log, Duration.ofMinutes(1));
    private final RateLimitedWarning lost = new RateLimitedWarning(log, Duration.ofMinutes(1));
    private volatile Guard watch = Guard.none();
    private volatile boolean closed;

    Catcher(Node node, LogLevel level) {
        this.node = node;
        this.level = level;
    }

    void start() {
        Guard g = node.db().monitor(LogCatcher.NODES_FAMILY, (family, added, changed, deleted) -> changed(added, deleted));
        watch = g;
        if (closed) {
            g.close();
        }
    }

    /** The node that catches. */
    public Node node() {
        return node;
    }

    /** The level asked for: records of this level and more severe are caught. */
    public LogLevel level() {
        return level;
    }

    /** The nodes asked for their records now (connect sent, port alive). */
    public Set<String> nodes() {
        return Set.copyOf(ports.keySet());
    }

    /** True once closed. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops catching (AEMP {@code catch undef}): kills the ports, which tells every node to stop
     * sending. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        watch.close();
        known.clear();
        for (PortId p : List.copyOf(ports.values())) {
            ports.values().remove(p);
            node.kill(p);
        }
        LogCatcher.forget(this);
    }

    /** The family changed; on a worker thread, one call at a time. */
    private void changed(List<String> added, List<String> deleted) {
        if (closed) {
            return;
        }
        for (String gone : deleted) {
            known.remove(gone);
            PortId p = ports.remove(gone);
            if (p != null) {
                node.kill(p);
            }
        }
        for (String n : added) {
            known.add(n);
            connect(n);
        }
    }

    private void connect(String remote) {
        if (closed || remote.equals(node.id()) || !known.contains(remote) || ports.containsKey(remote)) {
            return;
        }
        PortId port = node.newPort((ctx, message) -> receive(remote, ctx, message));
        if (ports.putIfAbsent(remote, port) != null) {
            node.kill(port);
            return;
        }
        node.monitor(port, reason -> died(remote, port, reason));
        PortId nodePort = PortId.nodePort(remote);
        links.put(port, node.monitorKill(nodePort, port)); // a broken link kills the port (AEMP: mon $node, $port)
        node.send(nodePort, LogCatcher.CONNECT, LogCatcher.PROTOCOL_VERSION, port.toString(), level.number());
        log.debug("node {} asked node {} for its log records of level {} ({})", node.id(), remote,
                level.number(), level.aempName());
        if (closed) {
            close();
        }
    }

    private void died(String remote, PortId port, KillReason reason) {
        Guard link = links.remove(port);
        if (link != null) {
            link.close();
        }
        if (!ports.remove(remote, port) || closed || node.isClosed()) {
            return; // stopped on purpose
        }
        if (!reason.isNormal()) {
            lost.warn("node {} lost the log records of node {}: {}; asking again in {} ms", node.id(),
                    Text.safe(remote, MAX_CONTEXT_CHARS), reason, RECONNECT_DELAY.toMillis());
        }
        node.after(RECONNECT_DELAY, () -> connect(remote));
    }

    /** One record from {@code remote}; on the port's worker thread. Never throws. */
    private void receive(String remote, Context ctx, List<Object> m) {
        try {
            if (!remote.equals(ctx.sourceNode())) {
                badRecord.warn("log record for the port of node {} sent by node {}: ignored",
                        Text.safe(remote, MAX_CONTEXT_CHARS), Text.safe(String.valueOf(ctx.sourceNode()), MAX_CONTEXT_CHARS));
                return;
            }
            if (m.size() < 4) {
                badRecord.warn("log record from node {} ignored: expected [time, context, level, message], got {}"
                        + " elements", Text.safe(remote, MAX_CONTEXT_CHARS), m.size());
                return;
            }
            double time = seconds(m.get(0));
            Optional<LogLevel> recordLevel = LogLevel.parse(m.get(2));
            String context = Text.scalar(m.get(1));
            String text = Text.scalar(m.get(3));
            if (Double.isNaN(time) || recordLevel.isEmpty() || context == null || text == null) {
                badRecord.warn("log record from node {} ignored: expected [time, context, level, message], got"
                        + " time {}, context {}, level {}, message {}", Text.safe(remote, MAX_CONTEXT_CHARS),
                        Text.describe(m.get(0)), Text.describe(m.get(1)), Text.describe(m.get(2)), Text.describe(m.get(3)));
                return;
            }
            relog(remote, time, context, recordLevel.get(), text);
        } catch (RuntimeException e) {
            badRecord.warn("log record from node {} could not be logged: {}", Text.safe(remote, MAX_CONTEXT_CHARS),
                    e.toString());
        }
    }

    private void relog(String remote, double time, String context, LogLevel recordLevel, String text) {
        Logger target = loggers.computeIfAbsent(remote, Catcher::remoteLogger);
        Level slf4j = recordLevel.toSlf4j();
        if (!target.isEnabledForLevel(slf4j)) {
            return;
        }
        double diff = System.currentTimeMillis() / 1000.0 - time;
        String offset = Math.abs(diff) < 1e-3 ? "" : String.format(Locale.ROOT, "%+.3fs", diff);
        String from = Text.safe(remote, MAX_CONTEXT_CHARS);
        String ctxText = Text.safe(context, MAX_CONTEXT_CHARS);
        target.atLevel(slf4j)
                .addKeyValue("aemp_node", from)
                .addKeyValue("aemp_context", ctxText)
                .addKeyValue("aemp_level", recordLevel.number())
                .addKeyValue("aemp_time", time)
                .log("[{}{}] {}: {}", from, offset, ctxText, Text.safe(text, LogTap.MAX_MESSAGE_CHARS));
    }

    /** The logger for records of {@code remote}: {@code org.aemp.logcatcher.remote.<node>}. */
    static Logger remoteLogger(String remote) {
        return LoggerFactory.getLogger(remoteLoggerName(remote));
    }

    static String remoteLoggerName(String remote) {
        StringBuilder b = new StringBuilder(LogCatcher.REMOTE_LOGGER_PREFIX).append('.');
        int n = Math.min(remote.length(), 128);
        for (int i = 0; i < n; i++) {
            char c = remote.charAt(i);
            b.append(c == '.' || c == '$' || Character.isISOControl(c) || Character.isWhitespace(c) ? '_' : c);
        }
        return b.toString();
    }

    /** Seconds since the epoch from a number or a decimal string; NaN for anything else. */
    private static double seconds(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? d : Double.NaN;
        }
        if (v instanceof String s && s.length() <= 40) {
            try {
                double d = Double.parseDouble(s.trim());
                return Double.isFinite(d) ? d : Double.NaN;
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
