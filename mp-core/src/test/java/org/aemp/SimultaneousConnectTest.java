package org.aemp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.aemp.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes that dial each other at the same moment, each with a call already on its way: one of
 * the two connections is dropped on both ends, and whatever was written on it must either arrive
 * or make the caller's monitor fire. A call that neither gets its reply nor fails is a silent
 * hole.
 */
@Timeout(300)
class SimultaneousConnectTest {
    private static final int ROUNDS = 100;

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @Test
    void callsCrossingASimultaneousConnectAreAnsweredOrFailNeverLost() throws Exception {
        List<String> lost = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Node a = nodes.listening("a" + round);
            Node b = nodes.listening("b" + round);
            a.addAddresses(b.id(), b.listenAddresses());
            b.addAddresses(a.id(), a.listenAddresses());
            PortId echoA = echo(a);
            PortId echoB = echo(b);
            CyclicBarrier start = new CyclicBarrier(2);
            CompletableFuture<List<Object>> fromA = new CompletableFuture<>();
            CompletableFuture<List<Object>> fromB = new CompletableFuture<>();
            Thread ta = new Thread(() -> callAfter(start, a, echoB, fromA));
            Thread tb = new Thread(() -> callAfter(start, b, echoA, fromB));
            ta.start();
            tb.start();
            for (CompletableFuture<List<Object>> call : List.of(fromA, fromB)) {
                String who = (call == fromA ? a : b).id();
                try {
                    assertThat(call.get(10, TimeUnit.SECONDS)).containsExactly("pong");
                } catch (ExecutionException e) {
                    failed.add(who + ": " + e.getCause()); // reported: allowed, but counted
                } catch (TimeoutException e) {
                    lost.add(who + " in round " + round);
                }
            }
            ta.join();
            tb.join();
            a.close();
            b.close();
        }
        assertThat(lost).as("calls neither answered nor failed (silent holes)").isEmpty();
        assertThat(failed).as("calls failed by a switched connection").isEmpty();
    }

    private static PortId echo(Node node) {
        return node.newPort((ctx, msg) -> ctx.send(PortId.parse((String) msg.get(msg.size() - 1)), "pong"));
    }

    private static void callAfter(CyclicBarrier start, Node from, PortId to, CompletableFuture<List<Object>> result) {
        try {
            start.await();
            from.call(to, "ping").whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(v);
                }
            });
        } catch (Exception e) {
            result.completeExceptionally(e);
        }
    }
}
