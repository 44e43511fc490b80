package org.aemp.examples;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.aemp.Context;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;

/**
 * A Java node that behaves like the Perl test peer {@code echo-node.pl} of the shared interop
 * material, so that recorded Perl sessions can be replayed against it and Perl clients can talk to
 * it: {@code #echo} sends {@code (reply, @payload)} back as {@code @payload}; {@code #rpc} answers
 * calls with {@code ("rpc_reply", @args)}; {@code #ctl} makes the node act (snd, spawn, mon, kil,
 * cal, newport); {@code InteropSpawn::echo} and {@code InteropSpawn::sink} can be spawned here.
 *
 * <p>Run as a program ({@link #main}) for tests in separate JVMs: {@code key=value} arguments
 * {@code nodeid bind seeds secret framing global} (global defaults to 1: it is a seed); it prints {@code ready <node id> <addresses>} and runs
 * until stdin closes or it gets {@code ["ctl","quit"]}.
 */
public final class JavaEchoNode {
    private JavaEchoNode() {
    }

    /** Adds the echo node's functions to a configuration. */
    public static NodeConfig.Builder functions(NodeConfig.Builder b) {
        return b.function("InteropSpawn::echo", JavaEchoNode::spawnEcho)
                .function("InteropSpawn::sink", (ctx, args) -> ctx.receive((c, m) -> { }));
    }

    /** Registers {@code #echo}, {@code #rpc} and {@code #ctl} on a started node. */
    public static void serve(Node node) {
        String id = node.id();
        node.receive(new PortId(id, "echo"), (ctx, msg) -> {
            if (!msg.isEmpty()) {
                ctx.send(PortId.parse(Context.text(msg, 0)), msg.subList(1, msg.size()).toArray());
            }
        });
        node.receive(new PortId(id, "rpc"), (ctx, msg) -> {
            List<Object> reply = new ArrayList<>();
            reply.add("rpc_reply");
            reply.addAll(msg.subList(0, msg.size() - 1));
            ctx.send(PortId.parse(Context.text(msg, msg.size() - 1)), reply.toArray());
        });
        node.receive(new PortId(id, "ctl"), (ctx, msg) -> control(node, ctx, msg));
        // as echo-node.pl: #echo joins the group, and the node lists its ports
        node.db().register(GROUP, new PortId(id, "echo"));
        Map<String, Object> ports = new LinkedHashMap<>();
        ports.put("echo", id + "#echo");
        ports.put("rpc", id + "#rpc");
        ports.put("ctl", id + "#ctl");
        node.db().set("interop_nodes", id, ports);
    }

    /** The database family the echo port is registered in, as echo-node.pl's default. */
    public static final String GROUP = "interop_echo";

    private static void control(Node node, Context ctx, List<Object> msg) {
        String what = Context.text(msg, 0);
        List<Object> args = msg.subList(1, msg.size());
        switch (what) {
            case "snd" -> node.send(PortId.parse(Context.text(args, 0)), args.subList(1, args.size()));
            case "spawn" -> {
                PortId p = node.spawn(Context.text(args, 0), Context.text(args, 1),
                        args.subList(3, args.size()).toArray());
                node.send(PortId.parse(Context.text(args, 2)), "spawned_remote", p.toString());
            }
            case "mon" -> {
                String port = Context.text(args, 0);
                PortId reply = PortId.parse(Context.text(args, 1));
                node.monitor(PortId.parse(port), reason -> {
                    List<Object> m = new ArrayList<>(List.of("mon_fired", port));
                    m.addAll(reason.values());
                    node.send(reply, m);
                });
            }
            case "kil" -> node.kill(PortId.parse(Context.text(args, 0)), KillReason.of(args.subList(1, args.size())));
            case "cal" -> {
                PortId reply = PortId.parse(Context.text(args, args.size() - 1));
                node.call(Duration.ofSeconds(10), PortId.parse(Context.text(args, 0)),
                        args.subList(1, args.size() - 1).toArray()).whenComplete((r, e) -> {
                            List<Object> m = new ArrayList<>(List.of("cal_result"));
                            if (r != null) {
                                m.addAll(r);
                            }
                            node.send(reply, m);
                        });
            }
            case "newport" -> {
                PortId[] self = new PortId[1];
                self[0] = node.newPort((c, m) -> {
                    String tag = m.isEmpty() ? "" : Context.text(m, 0);
                    switch (tag) {
                        case "die" -> throw new IllegalStateException(String.join(" ",
                                m.subList(1, m.size()).stream().map(String::valueOf).toList()));
                        case "kil" -> c.kill(m.subList(1, m.size()).toArray());
                        case "exit" -> c.kill();
                        default -> c.send(PortId.parse(Context.text(m, 0)), m.subList(1, m.size()).toArray());
                    }
                });
                node.send(PortId.parse(Context.text(args, 0)), "newport", self[0].toString());
            }
            case "db_set" -> node.db().set(Context.text(args, 0), Context.text(args, 1), args.size() > 2 ? args.get(2) : null);
            case "db_del" -> node.db().delete(Context.text(args, 0), Context.text(args, 1));
            case "db_family" -> {
                String family = Context.text(args, 0);
                PortId reply = PortId.parse(Context.text(args, 1));
                node.db().family(family).thenAccept(f -> node.send(reply, "db_family", family, f));
            }
            case "db_keys" -> {
                String family = Context.text(args, 0);
                PortId reply = PortId.parse(Context.text(args, 1));
                node.db().keys(family).thenAccept(k -> node.send(reply, "db_keys", family, k));
            }
            case "quit" -> QUIT.countDown();
            default -> { }
        }
    }

    /** {@code InteropSpawn::echo $reply, @args}, as spawn-target.pl does it. */
    private static void spawnEcho(Context ctx, List<Object> args) {
        PortId reply = PortId.parse(Context.text(args, 0));
        PortId self = ctx.self();
        ctx.link(reply);
        ctx.receive((c, m) -> {
            String tag = m.isEmpty() ? "" : Context.text(m, 0);
            switch (tag) {
                case "die" -> throw new IllegalStateException(String.join(" ",
                        m.subList(1, m.size()).stream().map(String::valueOf).toList()));
                case "kil" -> c.kill(m.subList(1, m.size()).toArray());
                case "exit" -> c.kill();
                default -> {
                    List<Object> out = new ArrayList<>(List.of("echo", self.toString()));
                    out.addAll(m);
                    c.send(reply, out.toArray());
                }
            }
        });
        List<Object> out = new ArrayList<>(List.of("spawned", self.toString()));
        out.addAll(args.subList(1, args.size()));
        ctx.send(reply, out.toArray());
    }

    private static final CountDownLatch QUIT = new CountDownLatch(1);

    /** Runs the echo node as a program; see the class documentation. */
    public static void main(String[] argv) throws IOException, InterruptedException {
        Map<String, String> a = new HashMap<>(Map.of("nodeid", "echo", "bind", "127.0.0.1:0", "secret", "interop-secret"));
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                a.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
        }
        NodeConfig.Builder b = functions(NodeConfig.builder())
                .nodeId(a.get("nodeid"))
                .binds(List.of(a.get("bind").split(",")))
                .secret(a.get("secret"));
        if (a.containsKey("seeds")) {
            b.seeds(List.of(a.get("seeds").split(",")));
        }
        b.global(!"0".equals(a.getOrDefault("global", "1")));
        if (a.containsKey("framing")) {
            b.framingFormat(List.of(a.get("framing").split(",")));
        }
        try (Node node = Node.start(b.build())) {
            serve(node);
            System.out.println("ready " + node.id() + " " + String.join(",", node.listenAddresses()));
            System.out.flush();
            Thread stdin = new Thread(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // wait for end of input
                    }
                } catch (IOException e) {
                    // treat as closed
                }
                QUIT.countDown();
            }, "stdin-watch");
            stdin.setDaemon(true);
            stdin.start();
            QUIT.await();
        }
    }
}
