package org.aemp.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;

/**
 * {@code aemp demo}: shows the main operations with no configuration: ping/pong, spawn, a monitor
 * firing on kill, and a call. Prints a few readable lines per step and returns 0 if every step
 * worked.
 */
final class Demo {
    private static final Duration STEP = Duration.ofSeconds(10);
    private final PrintStream out;

    Demo(PrintStream out) {
        this.out = out;
    }

    int run(String[] args) {
        try (Node node = Node.start(NodeConfig.builder().nodeId("demo").binds(List.of())
                .function("Demo::counter", (ctx, initArgs) -> {
                    int[] count = {((Number) initArgs.get(0)).intValue()};
                    ctx.receive("inc", (c, m) -> {
                        count[0]++;
                        c.send(PortId.parse((String) m.get(0)), "count", count[0]);
                    });
                })
                .build())) {
            out.println("node " + node.id() + " is up");

            out.println("1. ping/pong");
            CompletableFuture<List<Object>> pong = new CompletableFuture<>();
            PortId ponger = node.newPort((ctx, msg) -> ctx.send(PortId.parse((String) msg.get(1)), "pong", msg.get(2)));
            PortId pinger = node.newPort((ctx, msg) -> pong.complete(msg));
            node.send(ponger, "ping", pinger.toString(), 1);
            out.println("   " + ponger + " answered " + pong.get(STEP.toSeconds(), TimeUnit.SECONDS));

            out.println("2. spawn");
            PortId counter = node.spawn(node.id(), "Demo::counter", 41);
            List<Object> reply = node.call(STEP, counter, "inc").get(STEP.toSeconds(), TimeUnit.SECONDS);
            out.println("   spawned " + counter + ", which counted " + reply);

            out.println("3. monitor");
            CompletableFuture<KillReason> down = new CompletableFuture<>();
            node.monitor(counter, down::complete);
            node.kill(counter, "demo_done", "bye");
            out.println("   killed " + counter + "; the monitor saw " + down.get(STEP.toSeconds(), TimeUnit.SECONDS));

            out.println("4. cal");
            PortId adder = node.newPort((ctx, msg) -> ctx.send(PortId.parse((String) msg.get(2)),
                    ((Number) msg.get(0)).intValue() + ((Number) msg.get(1)).intValue()));
            out.println("   2 + 3 = " + node.call(STEP, adder, 2, 3).get(STEP.toSeconds(), TimeUnit.SECONDS).get(0));

            out.println("demo finished: every step worked");
            return 0;
        } catch (Exception e) {
            out.println("demo failed: " + e);
            return 1;
        }
    }
}
