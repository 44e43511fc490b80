package org.aemp.logcatcher;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.aemp.Node;

/**
 * AEMP's {@code AnyEvent::MP::LogCatcher} for Java nodes: one node collects the log records of the
 * others, Java and Perl alike.
 *
 * <ul>
 *   <li>{@link #catchLogs(Node, LogLevel)} (AEMP {@code AnyEvent::MP::LogCatcher::catch $level})
 *       makes a node catch: it asks every other node of the network for its records of that level
 *       and more severe, and logs them through SLF4J on {@code org.aemp.logcatcher.remote.<node>}
 *       (see {@link Catcher}).
 *   <li>{@link #serve(Node)} makes a node answer catchers ({@value #CONNECT}): it forwards this
 *       JVM's log records to them (see {@link LogForwarding}). Perl nodes do this by themselves;
 *       a Java node must be told, here or with the service {@code AnyEvent::MP::LogCatcher::} in
 *       its profile. Records reach the forwarding through the logging backend's adapter:
 *       {@link LogCatcherAppender} (Logback), {@link LogCatcherHandler} (java.util.logging) or
 *       {@link LogCatcherServiceProvider} (any SLF4J backend).
 * </ul>
 *
 * <h2>Wire format</h2>
 * <pre>{@code
 * catcher -> node  ["", "AnyEvent::MP::LogCatcher::connect", 0, "catcher#p1", 7]
 * node -> catcher  ["p1", 1764000000.125, "org.aemp.Node", 5, "link to perl lost"]
 * }</pre>
 * The level is AnyEvent::Log's number ({@link LogLevel}), the time is seconds since the epoch as a
 * float, the second element is the context: a Perl package (AnyEvent::Log context title) or a Java
 * logger name. The catcher port's death ends the forwarding.
 *
 * <p>Thread-safe.
 */
public final class LogCatcher {
    /** The node-port function a catcher calls on each node (AEMP {@code snd_to_func}). */
    public static final String CONNECT = "AnyEvent::MP::LogCatcher::connect";
    /** The protocol version a catcher sends as connect's first argument. */
    public static final int PROTOCOL_VERSION = 0;
    /** The database family listing every node (node id to listen addresses), which catchers watch. */
    public static final String NODES_FAMILY = "'l";
    /** The logger names of caught records start with this, then a dot and the node id. */
    public static final String REMOTE_LOGGER_PREFIX = "org.aemp.logcatcher.remote";

    private static final Map<Node, Catcher> CATCHING = new ConcurrentHashMap<>();

    private LogCatcher() {
    }

    /**
     * AEMP {@code AnyEvent::MP::LogCatcher::catch $level}: {@code node} starts catching the records
     * of level {@code level} and more severe from all current and future nodes. As in Perl, a node
     * catches at one level at a time: a second call replaces the first (whose {@link Catcher} is
     * then closed).
     *
     * @return the catcher; closing it stops catching (AEMP {@code catch undef})
     */
    public static Catcher catchLogs(Node node, LogLevel level) {
        requireNonNull(node, "node");
        requireNonNull(level, "level");
        CATCHING.keySet().removeIf(Node::isClosed);
        Catcher c = new Catcher(node, level);
        Catcher old = CATCHING.put(node, c);
        if (old != null) {
            old.close();
        }
        c.start();
        return c;
    }

    /**
     * {@link #catchLogs(Node, LogLevel)} with the level as text: a number 1 to 9 or a name, AEMP's
     * ({@code fatal alert critical error warn note info debug trace} and their aliases) or SLF4J's.
     *
     * @throws IllegalArgumentException if {@code level} is no level
     */
    public static Catcher catchLogs(Node node, String level) {
        requireNonNull(level, "level");
        return catchLogs(node, LogLevel.parse(level).orElseThrow(() -> new IllegalArgumentException(
                "invalid log level '" + level + "': expected 1 to 9 or a name such as 'warn', 'info' or 'debug'")));
    }

    /** AEMP {@code catch undef}: stops {@code node} catching, if it does. */
    public static void stopCatching(Node node) {
        Catcher c = CATCHING.get(requireNonNull(node, "node"));
        if (c != null) {
            c.close();
        }
    }

    /** Forgets {@code c} if it is still {@code its node's catcher}. */
    static void forget(Catcher c) {
        CATCHING.remove(c.node(), c);
    }

    /** {@link #serve(Node, ForwardingLimits)} with {@link ForwardingLimits#DEFAULTS}. */
    public static LogForwarding serve(Node node) {
        return serve(node, ForwardingLimits.DEFAULTS);
    }

    /**
     * Makes {@code node} answer {@value #CONNECT}: it forwards this JVM's log records, as seen by
     * the logging backend's adapter, to every catcher that connects, within {@code limits}. Serve
     * once per node: a second call takes over the function, and the first keeps only the catchers
     * it already has.
     *
     * @return the forwarding; closing it stops serving
     */
    public static LogForwarding serve(Node node, ForwardingLimits limits) {
        return LogForwarding.start(requireNonNull(node, "node"), requireNonNull(limits, "limits"));
    }
}
