package org.aemp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.aemp.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link NodeConfig.Builder#inlineCallbacks}: a callback for a message from another node runs on
 * the I/O thread that read it when its port is idle, and the port's guarantees hold all the same
 * (one callback at a time, each sender's order, nothing lost), also when local senders and a
 * backlog drained by the workers mix in.
 */
@Timeout(120)
class InlineCallbacksTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private Node[] pair(boolean inline) {
        Node a = nodes.listening("a", b -> b.inlineCallbacks(inline).workerThreads(4));
        Node b = nodes.listening("b");
        b.addAddresses("a", a.listenAddresses());
        return new Node[] {a, b};
    }

    @Test
    void aCallbackForANetworkMessageRunsOnTheIoThreadOnlyWhenAskedFor() throws Exception {
        for (boolean inline : new boolean[] {true, false}) {
            Node[] n = pair(inline);
            Set<String> threads = ConcurrentHashMap.newKeySet();
            CountDownLatch got = new CountDownLatch(2);
            PortId port = n[0].newPort((ctx, m) -> {
                threads.add(Thread.currentThread().getName() + " " + m.get(0));
                got.countDown();
            });
            n[1].send(port, "remote");
            n[0].send(port, "local");
            assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(threads).anyMatch(t -> t.endsWith(" local") && t.contains("-worker-"));
            assertThat(threads).as("inline=%s", inline)
                    .anyMatch(t -> t.endsWith(" remote") && t.contains(inline ? "-io-" : "-worker-"));
            n[0].close();
            n[1].close();
        }
    }

    @Test
    void oneCallbackAtATimeAndEachSendersOrderHoldWhenNetworkAndLocalSendersMix() throws Exception {
        Node[] n = pair(true);
        Node a = n[0];
        Node b = n[1];
        int senders = 3;
        int perSender = 30_000;
        AtomicBoolean inside = new AtomicBoolean();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicInteger onIo = new AtomicInteger();
        int[] last = new int[2 * senders];
        java.util.Arrays.fill(last, -1);
        CountDownLatch done = new CountDownLatch(2 * senders * perSender);
        PortId port = a.newPort((ctx, m) -> {
            if (!inside.compareAndSet(false, true)) {
                overlaps.incrementAndGet();
            }
            if (Thread.currentThread().getName().contains("-io-")) {
                onIo.incrementAndGet();
            }
            int s = (Integer) m.get(0);
            int i = (Integer) m.get(1);
            if (i != last[s] + 1) {
                outOfOrder.incrementAndGet();
            }
            last[s] = i;
            if (i % 1000 == 0) {
                Thread.onSpinWait(); // a little work now and then, so a backlog forms and workers drain it
            }
            inside.set(false);
            done.countDown();
        });
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < 2 * senders; s++) {
            int sender = s;
            Node from = s < senders ? b : a; // half over the network, half local
            Thread t = new Thread(() -> {
                for (int i = 0; i < perSender; i++) {
                    from.send(port, sender, i);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).as("every message arrived").isTrue();
        assertThat(overlaps.get()).as("callbacks of one port that overlapped").isZero();
        assertThat(outOfOrder.get()).as("messages out of their sender's order").isZero();
        assertThat(onIo.get()).as("callbacks that ran on the I/O thread").isPositive();
    }
}
