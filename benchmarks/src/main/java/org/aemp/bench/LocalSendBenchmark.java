package org.aemp.bench;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.aemp.Context;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;
import org.aemp.Receiver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Local send and receive between ports of one node (no sockets, no codec): the mailbox, the
 * worker pool and the hand-offs between threads.
 *
 * <ul>
 *   <li>{@code oneWay}: the benchmark thread sends {@value #BATCH} messages to a port and waits
 *       until its receiver has seen them all; messages per second.</li>
 *   <li>{@code pingPong}: port A sends to port B, which answers A, with {@code window} round trips
 *       in flight, {@value #BATCH} round trips per invocation; round trips per second.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LocalSendBenchmark {
    static final int BATCH = 10_000;

    private Node node;
    private Counter counter;
    private PortId sink;
    private PingPong pingPong;

    @Setup(Level.Trial)
    public void start() throws IOException {
        node = Node.start(NodeConfig.builder().nodeId("local-bench").binds(List.of()).build());
        counter = new Counter();
        sink = node.newPort(counter);
        pingPong = new PingPong(node);
    }

    @TearDown(Level.Trial)
    public void stop() {
        node.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void oneWay() throws Exception {
        CompletableFuture<Void> done = counter.expect(BATCH);
        String payload = "0123456789abcdef";
        for (int i = 0; i < BATCH; i++) {
            node.send(sink, "msg", payload);
        }
        done.get(30, TimeUnit.SECONDS);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void pingPong(Window w) throws Exception {
        pingPong.run(BATCH, w.window).get(30, TimeUnit.SECONDS);
    }

    /** Round trips in flight for {@code pingPong}. */
    @State(Scope.Benchmark)
    public static class Window {
        @Param({"1", "100"})
        public int window;
    }

    /** Counts messages; completes the future once the expected number has arrived. Confined to its port. */
    private static final class Counter implements Receiver {
        private volatile CompletableFuture<Void> done;
        private volatile int expected;
        private int seen;

        CompletableFuture<Void> expect(int n) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            done = f;
            expected = n;
            return f;
        }

        @Override
        public void receive(Context ctx, List<Object> message) {
            if (++seen == expected) {
                seen = 0;
                done.complete(null);
            }
        }
    }

    /** Two ports bouncing a message; the state lives in port A's context. */
    private static final class PingPong {
        private final Node node;
        private final PortId a;
        private final PortId b;
        private CompletableFuture<Void> done;
        private int n;
        private int sent;
        private int got;

        PingPong(Node node) {
            this.node = node;
            PortId[] back = new PortId[1];
            this.b = node.newPort((ctx, m) -> ctx.send(back[0], m.get(0)));
            this.a = node.newPort((ctx, m) -> {
                if (++got == n) {
                    done.complete(null);
                } else if (sent < n) {
                    sent++;
                    ctx.send(b, m.get(0));
                }
            });
            back[0] = a;
        }

        CompletableFuture<Void> run(int rounds, int window) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            node.peval(a, () -> {
                done = f;
                n = rounds;
                sent = 0;
                got = 0;
                while (sent < window && sent < n) {
                    sent++;
                    node.send(b, "ping");
                }
                return null;
            });
            return f;
        }
    }
}
