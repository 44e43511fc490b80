package org.aemp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.aemp.KillReason;
import org.aemp.LinkStats;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.NodeStats;
import org.aemp.PortId;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The numbers a node shows about its links and mailboxes ({@link Node#stats()}), the busy/ready
 * signals and a mailbox capacity, between two nodes in this JVM.
 */
@Timeout(60)
class FlowStatsTest {
    private static final String SECRET = "flow-stats-secret";

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private Node node(String id, UnaryOperator<NodeConfig.Builder> customize) {
        return nodes.start(id, b -> customize.apply(b.binds(List.of("127.0.0.1:0")).secret(SECRET)));
    }

    /**
     * {@code n}'s link to {@code other}, waiting up to 10 s for it: the node that was dialled puts
     * its end up when it has checked the dialler's auth line, which may be after the dialler did.
     */
    private static LinkStats link(Node n, String other) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            var link = n.stats().links().stream().filter(l -> l.node().equals(other) && l.up()).findFirst();
            if (link.isPresent() || System.nanoTime() > end) {
                return link.orElseThrow(() -> new AssertionError(n.id() + " has no link up to " + other));
            }
            Thread.sleep(5);
        }
    }

    @Test
    void messagesAndBytesInAndOutMatchAnExchange() throws Exception {
        Node a = node("stats-a", b -> b);
        Node b = node("stats-b", c -> c);
        CountDownLatch got = new CountDownLatch(100);
        PortId sink = b.newPort((ctx, m) -> got.countDown());
        a.connect(b.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
        LinkStats aBefore = link(a, b.id());
        LinkStats bBefore = link(b, a.id());

        for (int i = 0; i < 100; i++) {
            a.send(sink, i, "x".repeat(50));
        }
        assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();
        LinkStats aAfter = link(a, b.id());
        LinkStats bAfter = link(b, a.id());

        assertThat(aAfter.up()).isTrue();
        assertThat(aAfter.framing()).isNotEmpty();
        assertThat(aAfter.messagesOut() - aBefore.messagesOut()).isEqualTo(100);
        assertThat(bAfter.messagesIn() - bBefore.messagesIn()).isEqualTo(100);
        long bytes = aAfter.bytesOut() - aBefore.bytesOut();
        assertThat(bytes).isGreaterThan(100 * 50);
        assertThat(bAfter.bytesIn() - bBefore.bytesIn()).isEqualTo(bytes);
        assertThat(aAfter.backlogBytes()).isZero();
        assertThat(aAfter.busy()).isFalse();
        assertThat(aAfter.refusals()).isZero();
        assertThat(aAfter.overflows()).isZero();
        assertThat(a.stats().busyMailboxes()).isEmpty();
    }

    @Test
    void aBusySpellIsSignalledCountedAndRefusedByTrySend() throws Exception {
        // a small busy threshold on the sender, a small mailbox threshold on the receiver
        Node a = node("busy-a", c -> c.linkBusyThreshold(64 << 10));
        Node b = node("busy-b", c -> c.mailboxBusyMessages(100));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch handled = new CountDownLatch(1);
        PortId slow = b.newPort((ctx, m) -> {
            release.await();
            handled.countDown();
        });
        Probe<String> busy = new Probe<>();
        List<String> changes = new CopyOnWriteArrayList<>();
        a.monitorBusy((node, isBusy) -> {
            changes.add(isBusy ? "busy" : "ready");
            busy.put(node + " " + (isBusy ? "busy" : "ready"));
        });
        a.connect(b.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
        String payload = "y".repeat(1000);

        // the receiver stops reading once 100 wait; the sender's socket buffers fill, then its
        // backlog. Bursts of 10 KB, so that the link turns busy only once the socket takes nothing
        int sent = 0;
        do {
            while (!link(a, b.id()).busy()) {
                assertThat(sent).as("messages sent before the link turned busy").isLessThan(200_000);
                for (int i = 0; i < 10; i++) {
                    a.send(slow, sent++, payload);
                }
                Thread.sleep(1); // let the event loop flush, as a real producer would
            }
            // on a busy machine the backlog can pass the threshold before the sockets are full:
            // busy counts only if it lasts once the event loop has written what they take
            Thread.sleep(200);
        } while (!link(a, b.id()).busy());
        assertThat(busy.next()).isEqualTo(b.id() + " busy");
        NodeStats bStats = b.stats();
        assertThat(bStats.busyMailboxes()).hasSize(1);
        assertThat(bStats.busyMailboxes().get(0).port()).isEqualTo(slow);
        assertThat(bStats.busyMailboxes().get(0).messages()).isGreaterThan(100);
        assertThat(a.trySend(slow, "refused", payload)).isFalse();
        CompletableFuture<Void> ready = a.whenReady(slow);
        assertThat(ready).isNotDone();
        LinkStats during = link(a, b.id());
        assertThat(during.refusals()).isEqualTo(1);
        assertThat(during.backlogBytes()).isGreaterThan(64 << 10);

        release.countDown();
        assertThat(ready).succeedsWithin(Duration.ofSeconds(20));
        String last;
        do {
            last = busy.next(Duration.ofSeconds(20)); // the link may have flapped while filling up
        } while (!busy.isEmpty() || !last.endsWith(" ready"));
        // in the order of the changes: busy, ready, busy, ready, ...
        for (int i = 0; i < changes.size(); i++) {
            assertThat(changes.get(i)).as("change %d of %s", i, changes).isEqualTo(i % 2 == 0 ? "busy" : "ready");
        }
        LinkStats after = link(a, b.id());
        assertThat(after.busy()).isFalse();
        assertThat(after.busyTime()).isPositive();
        assertThat(after.refusals()).isEqualTo(1);
        assertThat(after.overflows()).isZero();
        assertThat(a.trySend(slow, "taken", payload)).isTrue();
        assertThat(handled.getCount()).isZero();
    }

    @Test
    void aPortOverItsMailboxCapacityIsKilledWithMailboxOverflow() throws Exception {
        Node a = node("capacity-a", b -> b);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        PortId port = a.newPort((ctx, m) -> {
            started.countDown();
            release.await();
        });
        a.limitMailbox(port, 10);
        Probe<KillReason> down = new Probe<>();
        a.monitor(port, down::put);

        a.send(port, "first"); // taken by the callback, which blocks
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 11; i++) {
            a.send(port, i); // the 11th waiting is one too many
        }
        release.countDown();

        KillReason reason = down.next();
        assertThat(reason.values()).containsExactly(KillReason.MAILBOX_OVERFLOW, "11 messages waiting, capacity 10");
    }

    @Test
    void aPortWithinItsMailboxCapacityLives() throws Exception {
        Node a = node("capacity-ok", b -> b);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch all = new CountDownLatch(11);
        PortId port = a.newPort((ctx, m) -> {
            started.countDown();
            release.await();
            all.countDown();
        });
        a.limitMailbox(port, 10);
        Probe<KillReason> down = new Probe<>();
        a.monitor(port, down::put);
        a.send(port, "first");
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 10; i++) {
            a.send(port, i); // ten waiting: at capacity, not over it
        }
        release.countDown();
        assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
        down.nothingWithin(Duration.ofMillis(100));
    }
}
