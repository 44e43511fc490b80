package org.aemp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(120)
class OrderingAndThreadingTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @Test
    void aMillionLocalMessagesArriveInOrderWithoutLoss() throws Exception {
        Node node = nodes.start("a");
        int n = 1_000_000;
        CountDownLatch done = new CountDownLatch(1);
        int[] expected = {0};
        List<String> errors = new ArrayList<>();
        PortId port = node.newPort((ctx, msg) -> {
            int i = (Integer) msg.get(0);
            if (i != expected[0] && errors.size() < 10) {
                errors.add("expected " + expected[0] + ", got " + i);
            }
            expected[0] = i + 1;
            if (i == n - 1) {
                done.countDown();
            }
        });
        for (int i = 0; i < n; i++) {
            node.send(port, i);
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).as("all messages arrived").isTrue();
        assertThat(errors).isEmpty();
        assertThat(expected[0]).isEqualTo(n);
    }

    @Test
    void eachSendersMessagesStayInOrderAndCallbacksOfOnePortNeverOverlap() throws Exception {
        Node node = nodes.start("a", b -> b.workerThreads(4));
        int senders = 4;
        int perSender = 50_000;
        AtomicBoolean inside = new AtomicBoolean();
        AtomicInteger overlaps = new AtomicInteger();
        int[] last = new int[senders];
        java.util.Arrays.fill(last, -1);
        AtomicInteger outOfOrder = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(senders * perSender);
        PortId port = node.newPort((ctx, msg) -> {
            if (!inside.compareAndSet(false, true)) {
                overlaps.incrementAndGet();
            }
            int s = (Integer) msg.get(0);
            int i = (Integer) msg.get(1);
            if (i != last[s] + 1) {
                outOfOrder.incrementAndGet();
            }
            last[s] = i;
            inside.set(false);
            done.countDown();
        });
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            Thread t = new Thread(() -> {
                for (int i = 0; i < perSender; i++) {
                    node.send(port, sender, i);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(overlaps.get()).as("overlapping callbacks").isZero();
        assertThat(outOfOrder.get()).as("messages out of sender order").isZero();
    }

    @Test
    void differentPortsRunInParallel() throws Exception {
        Node node = nodes.start("a", b -> b.workerThreads(2));
        CountDownLatch both = new CountDownLatch(2);
        Probe<Boolean> result = new Probe<>();
        Receiver meet = (ctx, msg) -> {
            both.countDown();
            result.put(both.await(10, TimeUnit.SECONDS));
        };
        node.send(node.newPort(meet), "x");
        node.send(node.newPort(meet), "y");
        assertThat(result.next()).isTrue();
        assertThat(result.next()).isTrue();
    }

    @Test
    void sendingNeverBlocksEvenWhenTheReceiverIsStuck() throws Exception {
        Node node = nodes.start("a");
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger received = new AtomicInteger();
        PortId stuck = node.newPort((ctx, msg) -> {
            release.await(30, TimeUnit.SECONDS);
            received.incrementAndGet();
        });
        for (int i = 0; i < 100_000; i++) {
            node.send(stuck, i);
        }
        assertThat(received.get()).as("all sends returned while the receiver was stuck").isZero();
        Probe<KillReason> down = new Probe<>();
        node.monitor(stuck, down::put);
        release.countDown();
        node.kill(stuck);
        down.next();
        assertThat(received.get()).isEqualTo(100_000);
    }

    @Test
    void portIdsAreNeverReused() {
        Node node = nodes.start("a");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            PortId p = node.newPort((ctx, msg) -> { });
            assertThat(seen.add(p.name())).isTrue();
            node.kill(p);
        }
    }

    @Test
    void portNamesFollowThe202FormatForFixedAndRandomNodeIds() {
        Node fixed = nodes.start("alpha");
        assertThat(fixed.newPort().name()).matches("[0-9A-Za-z]{9}b");
        Node random = nodes.start("anon/");
        assertThat(random.id()).matches("anon/[0-9A-Za-z]{9}[0-9A-Z]");
        assertThat(random.newPort().name()).isEqualTo("b");
        assertThat(random.newPort().name()).isEqualTo("c");
    }

    @Test
    void callbacksRunOnNamedWorkerThreads() {
        Node node = nodes.start("a");
        Probe<String> thread = new Probe<>();
        node.send(node.newPort((ctx, msg) -> thread.put(Thread.currentThread().getName())), "x");
        assertThat(thread.next()).startsWith("aemp-a-worker-");
    }
}
