package org.aemp;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.aemp.internal.SafeText;
import org.aemp.internal.kernel.Kernel;
import org.aemp.internal.kernel.NodePortRequests;
import org.aemp.internal.net.DataConns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two node-port requests of AEMP's {@code AnyEvent::MP::DataConn} that another node sends this
 * one: {@value DataConn#EXPECT} (await a data connection from me) and {@value DataConn#CONNECT}
 * (dial me for it). They are answered inline, in arrival order ({@link NodePortRequests}), so that
 * a round trip sent after {@code _expect} is answered once the connection is awaited. Only
 * registered receivers run, also on a {@code secure} node. Thread-safe.
 */
final class DataConnRequests implements NodePortRequests {
    private static final Logger log = LoggerFactory.getLogger(DataConn.class);

    private final Kernel kernel;
    private final DataConns conns;
    private final DataConnReceivers receivers;
    private final Executor workers;
    private final BooleanSupplier closed;

    /**
     * @param workers where a dial the other node asked for starts
     * @param closed true once the node is closed: then a failed wait kills no port
     */
    DataConnRequests(Kernel kernel, DataConns conns, DataConnReceivers receivers, Executor workers,
            BooleanSupplier closed) {
        this.kernel = kernel;
        this.conns = conns;
        this.receivers = receivers;
        this.workers = workers;
        this.closed = closed;
    }

    @Override
    public boolean handles(String tag) {
        return tag.equals(DataConn.EXPECT) || tag.equals(DataConn.CONNECT);
    }

    @Override
    public void handle(String source, String tag, List<Object> args) {
        if (tag.equals(DataConn.EXPECT)) {
            expect(source, args);
        } else {
            connect(source, args);
        }
    }

    /** {@code _expect id, port, timeout, initfunc, initdata...}: await a data connection from the calling node. */
    private void expect(String source, List<Object> args) {
        String id = text(args, 0, "id");
        PortId port = PortId.parse(text(args, 1, "port"));
        double seconds = number(args, 2, "timeout");
        String function = text(args, 3, "init function");
        List<Object> initData = Collections.unmodifiableList(new ArrayList<>(args.subList(4, args.size())));
        if (!port.node().equals(source)) {
            log.warn("data connection request from node {} refused: its port {} is not on that node",
                    SafeText.of(source), SafeText.of(port));
            return;
        }
        String refused = receivers.contains(function) ? null : receivers.noReceiver(function);
        if (refused == null) {
            Duration timeout = Duration.ofNanos((long) (seconds * 1e9));
            refused = conns.await(source, id, timeout, "no data connection from node " + source + " within "
                    + timeout.toMillis() + " ms", new DataConns.Awaited() {
                        @Override
                        public void connected(Channel channel) {
                            if (!receivers.deliver(function, initData, channel, source)) {
                                failed(receivers.noReceiver(function), false);
                            }
                        }

                        @Override
                        public void failed(String reason, boolean timedOut) {
                            if (!closed.getAsBoolean()) {
                                kill(port, reason);
                            }
                        }
                    });
        }
        if (refused != null) {
            log.warn("data connection request from node {} refused: {}", SafeText.of(source), SafeText.of(refused));
            kill(port, refused);
        }
    }

    /** Kills the other node's port of the attempt with {@code ("AnyEvent::MP::DataConn", reason)}, as AEMP does. */
    private void kill(PortId port, String reason) {
        kernel.kill(port.node(), port.name(), List.of(DataConn.KILL_TYPE, reason));
    }

    /** {@code _connect id, node}: the calling node found no listener of this one; dial it for the awaited connection. */
    private void connect(String source, List<Object> args) {
        String id = text(args, 0, "id");
        String target = text(args, 1, "node");
        if (!target.equals(source)) {
            log.warn("data connection request from node {} to dial node {} ignored: a node can only ask to be dialled"
                    + " itself", SafeText.of(source), SafeText.of(target));
            return;
        }
        if (!conns.isAwaited(source, id)) {
            log.debug("data connection '{}' from node {}: not awaited (any more): not dialling", SafeText.of(id),
                    SafeText.of(source));
            return;
        }
        try {
            workers.execute(() -> conns.dial(source, id, null,
                    () -> conns.fail(source, id, "node " + source + " has no known listen address")));
        } catch (RejectedExecutionException e) {
            log.debug("node {} is closing: not dialling node {}", kernel.nodeId(), SafeText.of(source));
        }
    }

    private static String text(List<Object> args, int i, String what) {
        if (args.size() <= i || args.get(i) == null) {
            throw new IllegalArgumentException(what + " missing");
        }
        return args.get(i).toString();
    }

    private static double number(List<Object> args, int i, String what) {
        String t = text(args, i, what);
        double d;
        try {
            d = args.get(i) instanceof Number n ? n.doubleValue() : Double.parseDouble(t.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number of seconds: '" + SafeText.escape(t) + "'");
        }
        if (!(d >= 0) || Double.isInfinite(d)) {
            throw new IllegalArgumentException(what + " must be a number of seconds >= 0: " + t);
        }
        return d;
    }
}
