package org.aemp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class KillAndMonitorTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @Test
    void killWithoutReasonIsANormalExit() {
        Node node = nodes.start("a");
        PortId port = node.newPort((ctx, msg) -> { });
        Probe<KillReason> down = new Probe<>();
        node.monitor(port, down::put);
        node.kill(port);
        KillReason r = down.next();
        assertThat(r.isNormal()).isTrue();
        assertThat(r.values()).isEmpty();
    }

    @Test
    void killWithAReasonPassesItOn() {
        Node node = nodes.start("a");
        PortId port = node.newPort((ctx, msg) -> { });
        Probe<KillReason> down = new Probe<>();
        node.monitor(port, down::put);
        node.kill(port, "my_error", "testing", 3);
        assertThat(down.next().values()).containsExactly("my_error", "testing", 3);
    }

    @Test
    void aKillTakesEffectLaterNeverInsideTheCall() throws Exception {
        Node node = nodes.start("a");
        CountDownLatch release = new CountDownLatch(1);
        Probe<Object> got = new Probe<>();
        PortId port = node.newPort((ctx, msg) -> {
            got.put("busy");
            release.await(10, TimeUnit.SECONDS);
        });
        Probe<String> downThread = new Probe<>();
        node.monitor(port, r -> downThread.put(Thread.currentThread().getName()));
        node.send(port, "block");
        assertThat(got.next()).isEqualTo("busy");
        node.kill(port, "stop"); // returns while the port's callback still runs
        downThread.nothingWithin(Duration.ofMillis(50));
        release.countDown();
        assertThat(downThread.next()).startsWith("aemp-a-worker-").isNotEqualTo(Thread.currentThread().getName());
    }

    @Test
    void messagesSentBeforeAKillFromTheSameSenderArriveFirst() {
        Node node = nodes.start("a");
        Probe<Object> got = new Probe<>();
        PortId port = node.newPort((ctx, msg) -> got.put(msg.get(0)));
        node.monitor(port, r -> got.put("dead"));
        for (int i = 0; i < 100; i++) {
            node.send(port, i);
        }
        node.kill(port);
        node.send(port, "after");
        for (int i = 0; i < 100; i++) {
            assertThat(got.next()).isEqualTo(i);
        }
        assertThat(got.next()).isEqualTo("dead");
        got.nothingWithin(Duration.ofMillis(50));
    }

    @Test
    void aPortKilledFromItsOwnCallbackGetsNoFurtherMessages() {
        Node node = nodes.start("a");
        Probe<Object> got = new Probe<>();
        PortId port = node.newPort((ctx, msg) -> {
            got.put(msg.get(0));
            ctx.kill();
        });
        for (int i = 0; i < 10; i++) {
            node.send(port, i);
        }
        assertThat(got.next()).isEqualTo(0);
        got.nothingWithin(Duration.ofMillis(100));
    }

    @Test
    void killingAPortThatDoesNotExistDoesNothingButANodePortThrows() {
        Node node = nodes.start("a");
        node.kill(new PortId("a", "nosuch"), "x");
        assertThatThrownBy(() -> node.kill(node.nodePort()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot kill a node port");
    }

    @Test
    void anExceptionKillsExactlyThatPortWithDie() {
        Node node = nodes.start("a");
        PortId bad = node.newPort((ctx, msg) -> {
            throw new IllegalStateException("boom\n");
        });
        Probe<Object> got = new Probe<>();
        PortId good = node.newPort((ctx, msg) -> got.put(msg));
        Probe<KillReason> down = new Probe<>();
        node.monitor(bad, down::put);
        node.send(bad, "x");
        assertThat(down.next().values()).containsExactly("die", "boom");
        node.send(good, "alive");
        assertThat(got.next()).isEqualTo(List.of("alive"));
    }

    @Test
    void anUnmatchedMessageKillsAPortWithoutDefault() {
        Node node = nodes.start("a");
        PortId port = node.newPort();
        node.receive(port, "known", (ctx, msg) -> { });
        Probe<KillReason> down = new Probe<>();
        node.monitor(port, down::put);
        node.send(port, "unknown\ttag that is longer than thirty characters", 1);
        assertThat(down.next().values()).containsExactly("unhandled_message",
                "no callback found for message 'unknown.tag that is longer tha'");
    }

    @Test
    void monitorKillSpreadsAbnormalDeathsOnly() {
        Node node = nodes.start("a");
        PortId a = node.newPort((ctx, msg) -> { });
        PortId b = node.newPort((ctx, msg) -> { });
        PortId c = node.newPort((ctx, msg) -> { });
        PortId d = node.newPort((ctx, msg) -> { });
        node.monitorKill(a, b);
        node.monitorKill(c, d);
        Probe<String> down = new Probe<>();
        node.monitor(b, r -> down.put("b " + r.values()));
        node.monitor(d, r -> down.put("d " + r.values()));
        node.kill(a, "linked", "x");
        assertThat(down.next()).isEqualTo("b [linked, x]");
        node.kill(c);
        down.nothingWithin(Duration.ofMillis(100));
    }

    @Test
    void theOneArgumentFormLinksToSelf() {
        Node node = nodes.start("a");
        PortId target = node.newPort((ctx, msg) -> { });
        Probe<KillReason> down = new Probe<>();
        PortId watcher = node.newPort((ctx, msg) -> ctx.link(target));
        node.monitor(watcher, down::put);
        node.send(watcher, "link now");
        node.peval(watcher, () -> null).join(); // the link is in place once this has run
        node.kill(target, "spread");
        assertThat(down.next().values()).containsExactly("spread");
    }

    @Test
    void monitorSendAlwaysSendsTheMessageAndTheReason() {
        Node node = nodes.start("a");
        Probe<Object> got = new Probe<>();
        PortId inbox = node.newPort((ctx, msg) -> got.put(msg));
        PortId a = node.newPort((ctx, msg) -> { });
        PortId b = node.newPort((ctx, msg) -> { });
        node.monitorSend(a, inbox, "down", "a");
        node.monitorSend(b, inbox, "down", "b");
        node.kill(a);
        assertThat(got.next()).isEqualTo(List.of("down", "a"));
        node.kill(b, "why", 1);
        assertThat(got.next()).isEqualTo(List.of("down", "b", "why", 1));
    }

    @Test
    void aMonitorFiresOnce() {
        Node node = nodes.start("a");
        PortId port = node.newPort((ctx, msg) -> { });
        Probe<KillReason> down = new Probe<>();
        node.monitor(port, down::put);
        node.kill(port, "first");
        node.kill(port, "second");
        assertThat(down.next().values()).containsExactly("first");
        down.nothingWithin(Duration.ofMillis(100));
    }

    @Test
    void aClosedGuardCancelsTheMonitor() {
        Node node = nodes.start("a");
        PortId port = node.newPort((ctx, msg) -> { });
        Probe<String> down = new Probe<>();
        node.monitor(port, r -> down.put("cancelled")).close();
        node.monitor(port, r -> down.put("kept"));
        node.kill(port);
        assertThat(down.next()).isEqualTo("kept");
        down.nothingWithin(Duration.ofMillis(100));
    }

    @Test
    void monitoringAPortThatDoesNotExistFiresNoSuchPortLater() {
        Node node = nodes.start("a");
        PortId ghost = new PortId("a", "ghost");
        Probe<String> down = new Probe<>();
        String caller = Thread.currentThread().getName();
        node.monitor(ghost, r -> down.put(Thread.currentThread().getName() + " " + r.values()));
        assertThat(down.next())
                .doesNotStartWith(caller)
                .endsWith("[no_such_port, cannot monitor nonexistent port, a#ghost]");
    }

    @Test
    void aGuardClosedBeforeTheNoSuchPortReportRunsCancelsIt() throws Exception {
        Node node = nodes.start("a", b -> b.workerThreads(1));
        CountDownLatch release = new CountDownLatch(1);
        Probe<String> got = new Probe<>();
        PortId blocker = node.newPort((ctx, msg) -> {
            got.put("blocking");
            release.await(10, TimeUnit.SECONDS);
        });
        node.send(blocker, "hold the only worker");
        assertThat(got.next()).isEqualTo("blocking");
        node.monitor(new PortId("a", "ghost"), r -> got.put("fired")).close(); // its report is queued behind
        node.monitor(new PortId("a", "last"), r -> got.put("last"));
        release.countDown();
        assertThat(got.next()).isEqualTo("last");
        assertThat(got.isEmpty()).isTrue();
    }

    @Test
    void monitoringTheLocalNodePortNeverFires() {
        Node node = nodes.start("a");
        Probe<String> down = new Probe<>();
        node.monitor(node.nodePort(), r -> down.put("fired"));
        down.nothingWithin(Duration.ofMillis(100));
    }

    @Test
    void monitorGuardReleasesItsReferencesWhenThePortDies() {
        Node node = nodes.start("a");
        PortId port = node.newPort((ctx, msg) -> { });
        Object payload = new byte[1 << 20];
        WeakReference<Object> ref = new WeakReference<>(payload);
        Probe<KillReason> down = new Probe<>();
        node.monitorGuard(port, payload);
        payload = null;
        System.gc();
        assertThat(ref.get()).as("held while the port lives").isNotNull();
        node.monitor(port, down::put);
        node.kill(port);
        down.next();
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.onSpinWait();
        }
        assertThat(ref.get()).as("released once the port died").isNull();
    }

    @Test
    void closingTheNodeKillsItsPortsAndMonitorsFire() {
        Node node = nodes.start("a");
        PortId port = node.newPort((ctx, msg) -> { });
        Probe<KillReason> down = new Probe<>();
        node.monitor(port, down::put);
        node.close();
        assertThat(down.next().type()).isEqualTo("shutdown");
        assertThat(node.isClosed()).isTrue();
        node.close(); // idempotent
    }
}
