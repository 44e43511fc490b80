package org.aemp.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.aemp.Context;
import org.aemp.Guard;
import org.aemp.Node;
import org.aemp.PortId;
import sun.misc.Signal;

/**
 * The Java twin of {@code echo-node.pl}'s benchmark ports: {@code <nodeid>#echo} answers
 * {@code (reply_port, @payload)} with {@code snd reply_port, @payload}, and {@code <nodeid>#rpc}
 * answers {@code (@args, reply_port)} with {@code snd reply_port, "rpc_reply", @args}. Like the
 * Perl node it logs JSON lines on stdout ({@code configured} with the bound addresses,
 * {@code ready}, {@code node_up}/{@code node_down}, and {@code rcv} for every message unless
 * {@code quiet}, which here defaults to 1) and exits cleanly on SIGTERM and SIGINT.
 *
 * <p>Keys: {@code nodeid} (default {@code echo}), {@code bind} ({@code 127.0.0.1:4040}, {@code *}
 * as port picks a free one), {@code secret}, {@code framing}, {@code cert}, {@code quiet}, plus
 * those of {@link BenchNodes}. The ctl port, database and spawn functions of echo-node.pl are not
 * served: the interop tests' JavaEchoNode has them.
 */
final class EchoNode {
    static final Map<String, String> DEFAULTS = Map.of("nodeid", "echo", "bind", "127.0.0.1:4040", "quiet", "1");

    private EchoNode() {
    }

    /** Starts the node and serves {@code #echo} and {@code #rpc} on it; the caller closes it. */
    static Node start(Args a, PrintStream log) throws IOException {
        boolean quiet = a.flag("quiet", true);
        Node node = Node.start(BenchNodes.config(a).build());
        try {
            serve(node, quiet ? null : log);
            if (a.flag("observe", false)) {
                org.aemp.observe.StatsAgent.serve(node); // observers read its link numbers
            }
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    private static void serve(Node node, PrintStream log) {
        PortId echo = new PortId(node.id(), "echo");
        node.receive(echo, new EchoReceiver(echo, log));
        PortId rpc = new PortId(node.id(), "rpc");
        node.receive(rpc, (ctx, msg) -> {
            logRcv(log, rpc, ctx, msg);
            int last = msg.size() - 1;
            if (last >= 0) {
                Object[] reply = new Object[msg.size()];
                reply[0] = "rpc_reply";
                for (int i = 0; i < last; i++) {
                    reply[i + 1] = msg.get(i);
                }
                ctx.send(PortId.parse(Context.text(msg, last)), reply);
            }
        });
    }

    /**
     * Sends the payload back to the reply port. The payload goes out as a view of the message
     * received (no copy), and the reply port's id is parsed once per distinct text. Confined to the
     * echo port (its callbacks never overlap).
     */
    private static final class EchoReceiver implements org.aemp.Receiver {
        private final PortId self;
        private final PrintStream log; // null: quiet
        private final Map<String, PortId> replyPorts = new HashMap<>();
        private String lastText;
        private PortId lastPort;

        EchoReceiver(PortId self, PrintStream log) {
            this.self = self;
            this.log = log;
        }

        @Override
        public void receive(Context ctx, List<Object> msg) {
            logRcv(log, self, ctx, msg);
            if (msg.isEmpty()) {
                return;
            }
            String text = Context.text(msg, 0);
            PortId reply;
            if (text.equals(lastText)) { // one client at a time: no hashing of a fresh string per message
                reply = lastPort;
            } else {
                reply = replyPorts.get(text);
                if (reply == null) {
                    if (replyPorts.size() >= 1024) {
                        replyPorts.clear(); // many clients came and went
                    }
                    reply = PortId.parse(text);
                    replyPorts.put(text, reply);
                }
                lastText = text;
                lastPort = reply;
            }
            ctx.node().send(reply, msg.subList(1, msg.size()));
        }
    }

    private static void logRcv(PrintStream log, PortId port, Context ctx, List<Object> msg) {
        if (log != null) {
            line(log, "event", "rcv", "port", port.toString(), "msg", msg, "src", ctx.sourceNode());
        }
    }

    /** Prints one JSON line: the key/value pairs given, plus {@code t}. */
    static void line(PrintStream out, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        m.put("t", BenchNodes.now());
        String text = JsonLine.of(m);
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }

    /** {@code echo-node}: runs until SIGTERM or SIGINT, then closes the node and exits with status 0. */
    static void run(Args a, PrintStream out) throws IOException, InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        String[] caught = new String[1];
        for (String name : List.of("TERM", "INT")) {
            // a handler instead of a shutdown hook: echo-node.pl exits 0 on these signals, and the
            // JVM's own hooks (a -XX:StartFlightRecording dump) still run on the way out. Installed
            // before the node starts, so that a refusal (the JVM keeps the signal, e.g. with -Xrs)
            // leaves nothing to close, and reported as a failure, not as a usage error.
            try {
                Signal.handle(new Signal(name), sig -> {
                    caught[0] = name;
                    stop.countDown();
                });
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("cannot handle SIG" + name + ": " + e.getMessage(), e);
            }
        }
        Node node = start(a, out);
        try {
            Guard events = node.monitorNodes((peer, up, reason) ->
                    line(out, "event", up ? "node_up" : "node_down", "peer", peer, "reason", reason.values()));
            line(out, "event", "configured", "node", node.id(), "binds", node.listenAddresses(),
                    "seeds", List.of(), "framing", a.get("framing").map(f -> (Object) a.list("framing", "")).orElse(null),
                    "tls", a.get("cert").isPresent() ? 1 : 0, "global", 0);
            line(out, "event", "ready", "node", node.id(), "echo", node.id() + "#echo", "rpc", node.id() + "#rpc");
            stop.await();
            line(out, "event", "signal", "signal", caught[0]);
            events.close();
        } finally {
            node.close();
        }
        line(out, "event", "exit");
    }
}
