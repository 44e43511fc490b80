package org.aemp;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The AEMP names as static functions, for people porting Perl code: {@code configure} starts the
 * one node of the process, and {@code snd}, {@code port}, {@code rcv}, {@code kil}, {@code mon},
 * {@code spawn}, {@code cal} and {@code after} act on it, as AnyEvent::MP's exported functions do.
 * Everything here is a one-line call of the {@link Node} method of the same meaning; see there.
 *
 * <p>Thread-safe. Calling a function before {@code configure} throws {@link IllegalStateException}.
 */
public final class Aemp {
    private static volatile Node node;

    private Aemp() {
    }

    /**
     * AEMP {@code configure}: starts this process's node. As in AEMP 2.x, only the first call
     * configures; later calls return the node already running.
     */
    public static synchronized Node configure(NodeConfig config) throws IOException {
        if (node == null) {
            node = Node.start(config);
        }
        return node;
    }

    /** AEMP {@code configure profile => ..., key => value}: a profile of the rc file. */
    public static synchronized Node configure(String profile, Map<String, ?> args) throws IOException {
        if (node == null) {
            node = Node.configure(profile, args);
        }
        return node;
    }

    /** The node {@code configure} started. */
    public static Node node() {
        Node n = node;
        if (n == null) {
            throw new IllegalStateException("not configured yet: call Aemp.configure first");
        }
        return n;
    }

    /** AEMP {@code $NODE}. */
    public static String NODE() {
        return node().id();
    }

    /** AEMP {@code node_of}. */
    public static String node_of(String portOrNode) {
        return PortId.nodeOf(portOrNode);
    }

    /** AEMP {@code port_is_local}. */
    public static boolean port_is_local(String port) {
        return node().isLocal(PortId.parse(port));
    }

    /** AEMP {@code snd $port, @msg}. */
    public static void snd(String port, Object... message) {
        node().send(PortId.parse(requireNonNull(port, "port")), message);
    }

    /** AEMP {@code port}: a port without a default callback. */
    public static String port() {
        return node().newPort().toString();
    }

    /** AEMP {@code port { ... }}. */
    public static String port(Receiver receiver) {
        return node().newPort(receiver).toString();
    }

    /** AEMP {@code rcv $port, $cb}: replaces the default callback. */
    public static String rcv(String port, Receiver receiver) {
        return node().receive(PortId.parse(port), receiver).toString();
    }

    /** AEMP {@code rcv $port, tag => $cb}. */
    public static Guard rcv(String port, String tag, Receiver receiver) {
        return node().receive(PortId.parse(port), tag, receiver);
    }

    /** AEMP {@code kil $port, @reason}. */
    public static void kil(String port, Object... reason) {
        node().kill(PortId.parse(port), reason);
    }

    /** AEMP {@code mon $port, $cb}. */
    public static Guard mon(String port, DownHandler callback) {
        return node().monitor(PortId.parse(port), callback);
    }

    /** AEMP {@code mon $port, $rcvport}: kills {@code rcvport} if {@code port} dies abnormally. */
    public static Guard mon(String port, String rcvport) {
        return node().monitorKill(PortId.parse(port), PortId.parse(rcvport));
    }

    /** AEMP {@code mon $port, $rcvport, @msg}. */
    public static Guard mon(String port, String rcvport, Object... message) {
        return node().monitorSend(PortId.parse(port), PortId.parse(rcvport), message);
    }

    /** AEMP {@code spawn $node, $initfunc, @initdata}. */
    public static String spawn(String nodeOrPort, String function, Object... args) {
        return node().spawn(nodeOrPort, function, args).toString();
    }

    /** AEMP {@code cal $port, @msg, $cb, $timeout}: the future completes with the reply. */
    public static CompletableFuture<List<Object>> cal(Duration timeout, String port, Object... message) {
        return node().call(timeout, PortId.parse(port), message);
    }

    /** AEMP {@code cal $port, @msg, $cb} without a timeout: the target port is monitored instead. */
    public static CompletableFuture<List<Object>> cal(String port, Object... message) {
        return node().call(PortId.parse(port), message);
    }

    /** AEMP {@code after $seconds, $cb}. */
    public static Guard after(Duration delay, Runnable callback) {
        return node().after(delay, callback);
    }

    /** AEMP {@code after $seconds, $port, @msg}. */
    public static Guard after(Duration delay, String port, Object... message) {
        return node().after(delay, PortId.parse(port), message);
    }

    /** AEMP {@code db_*}: the distributed database. */
    public static Database db() {
        return node().db();
    }

    /** Closes the node and forgets it, so that {@code configure} may be called again (tests). */
    public static synchronized void shutdown() {
        Node n = node;
        node = null;
        if (n != null) {
            n.close();
        }
    }
}
