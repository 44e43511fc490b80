package org.aemp;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.aemp.internal.net.DataConns;

/**
 * Data connections between nodes (AEMP {@code AnyEvent::MP::DataConn}): extra TCP connections
 * beside the link, carrying raw bytes, for bulk data. A data connection goes to the other node's
 * usual listener and is authenticated like a link (the same secret or certificates, TLS if the
 * nodes use it), but it is not a link: it never shows in {@link Node#upNodes()} or node events,
 * and no messages travel on it. Each end gets it as a Netty {@link Channel}. Works with Perl
 * AnyEvent::MP 2.02 both ways (Perl's own {@code connect_to} needs a workaround, see the README).
 * Get it with {@link Node#dataConn()}.
 *
 * <pre>{@code
 * // node b: the receiving end, by name
 * b.dataConn().register("My::Pkg::receiver", (initData, ch) -> {
 *     ch.pipeline().addLast(new MyHandler(initData));
 *     ch.config().setAutoRead(true);
 * });
 * // node a: the connecting end
 * a.dataConn().connectTo("b", Duration.ofSeconds(5), "My::Pkg::receiver", "file-1")
 *         .thenAccept(ch -> { ch.pipeline().addLast(new MySender()); ch.config().setAutoRead(true); });
 * }</pre>
 *
 * <h2>The channel</h2>
 * Both ends get the channel active, with reading off ({@code autoRead} false: nothing is read until
 * the application asks, so it can add its handlers first) and a pipeline that is empty but for the
 * {@code SslHandler} (named {@code "tls"}) when the nodes use TLS, and, until the first read, a
 * handler that keeps bytes that arrived together with the handshake. Add handlers with
 * {@code addLast}, then {@code setAutoRead(true)} or {@code read()}. The channel runs on one of
 * the node's I/O threads, which also serve its links: handlers must not block. The application
 * owns the channel and closes it; the node closes every data connection it made or accepted when
 * the node closes.
 *
 * <h2>How it is made</h2>
 * The connecting node asks the other to await a connection (the node-port request
 * {@code AnyEvent::MP::DataConn::_expect}, with an id, a port of the attempt, the timeout, the
 * init function and the init data; that node kills the port when it refuses or gives up), waits
 * for one message round trip to that port (a {@code snd} the other node relays) so that the
 * request was handled, then dials
 * the other node's listen addresses (those known to this node, or found through the global
 * service within half the timeout) greeting with {@code aemp-dataconn} and
 * {@code dataconn_id=<id>}. If it finds no listen address, it asks that node to dial instead
 * ({@code AnyEvent::MP::DataConn::_connect}). A node takes a data connection only with an id it
 * awaits, authenticated as the node it awaits it from. Java handles both requests as it handles
 * spawns: only registered receivers run, also on a {@code secure} node (a secure Perl node refuses
 * them). A data connection to the node itself is a pair of connected loopback sockets.
 *
 * <p>Thread-safe.
 */
public final class DataConn {
    /** The node-port request that asks a node to await a data connection. */
    static final String EXPECT = "AnyEvent::MP::DataConn::_expect";
    /** The node-port request that asks a node to dial the data connection itself. */
    static final String CONNECT = "AnyEvent::MP::DataConn::_connect";
    /** The message the other node relays back to the attempt's port before the dial. */
    private static final String GO = "AnyEvent::MP::DataConn go";
    /** The first value of the kill reason of a port whose data connection failed, as in AEMP. */
    public static final String KILL_TYPE = "AnyEvent::MP::DataConn";

    private final Node node;
    private final DataConns conns;
    private final DataConnReceivers receivers;
    private final AtomicLong counter = new AtomicLong();
    private final String idSuffix;

    /** @param node the node it belongs to (only kept: this runs inside Node's constructor) */
    DataConn(Node node, String nodeId, DataConns conns, DataConnReceivers receivers) {
        this.node = node;
        this.conns = conns;
        this.receivers = receivers;
        byte[] r = new byte[6];
        new SecureRandom().nextBytes(r);
        StringBuilder b = new StringBuilder(".");
        for (byte x : r) {
            b.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
        }
        this.idSuffix = b.append('@').append(nodeId).toString(); // unique across restarts of a node id
    }

    /**
     * Lets other nodes open data connections to this one for {@code receiver}, under {@code name}
     * (AEMP: the init function's name, such as {@code My::Pkg::receiver}). Replaces an earlier
     * receiver of that name. Only registered receivers ever run.
     *
     * @return a guard that unregisters it (connections it took stay open)
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public Guard register(String name, DataConnReceiver receiver) {
        requireNonNull(name, "name");
        requireNonNull(receiver, "receiver");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("receiver name must not be empty");
        }
        return receivers.register(name, receiver);
    }

    /**
     * AEMP {@code AnyEvent::MP::DataConn::connect_to $node, $timeout, $initfunc, @initdata, $cb},
     * for use outside a port: like {@link #connectTo(PortId, String, Duration, String, Object...)},
     * with no port of the caller's to kill when it fails.
     */
    public CompletableFuture<Channel> connectTo(String node, Duration timeout, String initFunction,
            Object... initData) {
        requireNonNull(node, "node");
        requireNonNull(timeout, "timeout");
        requireNonNull(initFunction, "initFunction");
        requireNonNull(initData, "initData");
        return start(null, node, timeout, initFunction, initData);
    }

    /**
     * AEMP {@code AnyEvent::MP::DataConn::connect_to $node, $timeout, $initfunc, @initdata, $cb}:
     * opens a data connection to {@code node} (a node id, or a port id on that node). The other
     * node runs the {@link DataConnReceiver} registered there under {@code initFunction} with
     * {@code initData} and its end of the connection; the future completes with this end. For the
     * state of the channel and who closes it, see the class documentation.
     *
     * <p>{@code port} stands for AEMP's {@code $SELF}, the port on whose behalf the connection is
     * made: if the attempt fails, it is killed with {@code ("AnyEvent::MP::DataConn", reason)}, as
     * in AEMP, and if it dies first, the attempt fails. (The port this node gives the other one,
     * which that node kills when it gives up waiting, is one the node makes for the attempt; its
     * death fails the attempt, and so kills {@code port}.) The other node waits as long as
     * {@code timeout}, which should cover a few network round trips.
     *
     * <p>The future completes on the channel's event loop when the connection is made, so a stage
     * attached with {@code thenAccept} may run there: it must not block. It fails (on any thread)
     * with {@link TimeoutException} if no connection was made within {@code timeout}, and with
     * {@link AempException} if the attempt failed otherwise (no receiver of that name there, no
     * address for the node, the dial or its handshake failed, the port died, the node is
     * unreachable or closed).
     *
     * @throws IllegalArgumentException if {@code port} is not a local port other than the node
     *     port, {@code timeout} is not positive, or {@code initData} holds a value that cannot be
     *     sent to that node
     */
    public CompletableFuture<Channel> connectTo(PortId port, String node, Duration timeout, String initFunction,
            Object... initData) {
        requireNonNull(port, "port");
        requireNonNull(node, "node");
        requireNonNull(timeout, "timeout");
        requireNonNull(initFunction, "initFunction");
        requireNonNull(initData, "initData");
        if (!this.node.isLocal(port) || port.isNodePort()) {
            throw new IllegalArgumentException("port must be a port of node " + this.node.id()
                    + " other than its node port: " + port);
        }
        return start(port, node, timeout, initFunction, initData);
    }

    private CompletableFuture<Channel> start(PortId callerPort, String nodeOrPort, Duration timeout,
            String initFunction, Object[] initData) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0: " + timeout);
        }
        String target = PortId.nodeOf(nodeOrPort);
        if (target.isEmpty()) {
            throw new IllegalArgumentException("no node in '" + nodeOrPort + "'");
        }
        List<Object> data = Collections.unmodifiableList(Arrays.asList(initData.clone()));
        String id = Long.toString(counter.incrementAndGet(), 36) + idSuffix;
        Attempt a = new Attempt(callerPort, target, id);
        if (node.isClosed()) {
            a.fail("node " + node.id() + " is closed", false);
            return a.result;
        }
        if (target.equals(node.id())) {
            a.watch(null);
            local(a, initFunction, data);
            return a.result;
        }
        String refused = conns.await(target, id, timeout, "not connected within " + timeout.toMillis() + " ms", a);
        if (refused != null) {
            a.fail(refused, false);
            return a.result;
        }
        // The other node kills the attempt's port when it refuses or gives up. The round trip that
        // must come before the dial (so that _expect was handled: Java handles it inline on
        // arrival, Perl in order) is answered to that same port, behind a kill sent before it, so
        // a refused attempt never dials.
        PortId attemptPort = node.newPort((ctx, msg) -> {
            if (msg.size() == 2 && GO.equals(msg.get(0)) && id.equals(msg.get(1))) {
                conns.dial(target, id, timeout.dividedBy(2), () -> noAddress(a));
            }
        });
        a.watch(attemptPort);
        List<Object> expect = new ArrayList<>(List.of(EXPECT, id, attemptPort.toString(), seconds(timeout),
                initFunction));
        expect.addAll(data);
        try {
            node.send(PortId.nodePort(target), expect);
        } catch (RuntimeException e) {
            a.forget();
            throw e;
        }
        node.send(PortId.nodePort(target), "snd", attemptPort.toString(), GO, id); // relayed back by the other node
        return a.result;
    }

    /** The other node has no listen address that this one knows: ask it to dial, if this one listens. */
    private void noAddress(Attempt a) {
        if (node.listenAddresses().isEmpty()) {
            conns.fail(a.target, a.id, "node " + a.target + " has no known listen address, and neither has node "
                    + node.id() + ": one of them must listen");
            return;
        }
        node.send(PortId.nodePort(a.target), CONNECT, a.id, node.id());
    }

    private static Object seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (Object) (ms / 1000) : (Object) (ms / 1000.0);
    }

    private void local(Attempt a, String initFunction, List<Object> data) {
        if (!receivers.contains(initFunction)) {
            a.fail(receivers.noReceiver(initFunction), false);
            return;
        }
        conns.localPair().whenComplete((pair, err) -> {
            if (err != null) {
                a.fail(err.getMessage(), false);
                return;
            }
            if (a.done.get()) {
                pair[0].close();
                pair[1].close();
                return;
            }
            pair[1].eventLoop().execute(() -> { // the receiver first, as AEMP does
                if (receivers.deliver(initFunction, data, pair[1], node.id())) {
                    pair[0].eventLoop().execute(() -> a.connected(pair[0]));
                } else {
                    pair[0].close();
                    a.fail(receivers.noReceiver(initFunction), false);
                }
            });
        });
    }

    /** One connectTo: its future, its ports, and its entry in the table of awaited connections. */
    private final class Attempt implements DataConns.Awaited {
        final PortId callerPort; // may be null
        final String target;
        final String id;
        final CompletableFuture<Channel> result = new CompletableFuture<>();
        final AtomicBoolean done = new AtomicBoolean();
        private PortId attemptPort; // given to the other node; null for a local connection
        private final List<Guard> watches = new ArrayList<>(3); // guarded by this

        Attempt(PortId callerPort, String target, String id) {
            this.callerPort = callerPort;
            this.target = target;
            this.id = id;
        }

        /** Watches the ports and the other node: the death of either fails the attempt. */
        void watch(PortId attemptPort) {
            List<Guard> w = new ArrayList<>(3);
            if (callerPort != null) {
                w.add(node.monitor(callerPort, reason -> fail("port " + callerPort + " died: " + reason, false)));
            }
            if (attemptPort != null) {
                w.add(node.monitor(attemptPort, this::attemptPortDied));
                w.add(node.monitor(PortId.nodePort(target), reason -> fail("node " + target + " is unreachable: "
                        + reason, false))); // fires only if the link fails
            }
            synchronized (this) {
                this.attemptPort = attemptPort;
                watches.addAll(w);
            }
            if (done.get()) {
                release();
            }
        }

        private void release() {
            List<Guard> w;
            PortId p;
            synchronized (this) {
                w = new ArrayList<>(watches);
                watches.clear();
                p = attemptPort;
                attemptPort = null;
            }
            w.forEach(Guard::close);
            if (p != null) {
                node.kill(p);
            }
        }

        @Override
        public void connected(Channel channel) {
            if (!done.compareAndSet(false, true)) {
                channel.close(); // failed meanwhile (a port died)
                return;
            }
            release();
            result.complete(channel);
        }

        @Override
        public void failed(String reason, boolean timedOut) {
            fail(reason, timedOut);
        }

        void fail(String reason, boolean timedOut) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            conns.forget(target, id);
            release();
            String text = "data connection to node " + target + " failed: " + reason;
            result.completeExceptionally(timedOut ? new TimeoutException(text) : new AempException(text));
            if (callerPort != null) {
                node.kill(callerPort, KILL_TYPE, reason);
            }
        }

        private void attemptPortDied(KillReason reason) {
            List<Object> v = reason.values();
            if (v.size() == 2 && KILL_TYPE.equals(v.get(0))) { // the other node refused or gave up
                fail(v.get(1) != null ? v.get(1).toString() : "node " + target + " gave up waiting", false);
            } else {
                fail("its port died: " + reason, false);
            }
        }

        /** Gives up without telling anyone (the request could not be sent). */
        void forget() {
            done.set(true);
            conns.forget(target, id);
            release();
        }
    }
}
