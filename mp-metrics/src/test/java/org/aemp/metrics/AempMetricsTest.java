package org.aemp.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.aemp.IncidentListener;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.PortId;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

/**
 * Two nodes in this JVM (JSON, hmac_sha3_512 over loopback), each bound to a
 * {@link SimpleMeterRegistry}: the meters show what the test did. The binders read fresh stats at
 * every read (a clock that jumps past the snapshot's age each time), so no read needs retrying.
 */
@Timeout(60)
class AempMetricsTest {
    private static final String SECRET = "metrics-secret";
    private static final int N = 250;

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private Node node(String id) {
        return nodes.start(id, b -> b.binds(List.of("127.0.0.1:0")).secret(SECRET));
    }

    /** A binder that takes a new snapshot at every read. */
    private static AempMetrics fresh(Node node) {
        AtomicLong clock = new AtomicLong();
        return new AempMetrics(node, () -> clock.addAndGet(StatsReader.MAX_AGE_NANOS));
    }

    private static double counter(SimpleMeterRegistry r, String name, String... tags) {
        return r.get(name).tags(tags).functionCounter().count();
    }

    private static double gauge(SimpleMeterRegistry r, String name, String... tags) {
        return r.get(name).tags(tags).gauge().value();
    }

    /** Waits for {@code ready}, asking again every 10 ms: for what no event announces. */
    private static void await(String what, BooleanSupplier ready) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ready.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void theMetersOfATwoNodeExchangeShowTheCountsSent() throws Exception {
        Node a = node("metrics-a");
        Node b = node("metrics-b");
        SimpleMeterRegistry ra = new SimpleMeterRegistry();
        SimpleMeterRegistry rb = new SimpleMeterRegistry();
        AempMetrics ma = fresh(a);
        ma.bindTo(ra);
        fresh(b).bindTo(rb);
        // told after the binders (one queue of node events per node): once these hear the up,
        // the binders have made the link meters
        Probe<String> aSees = new Probe<>();
        Probe<String> bSees = new Probe<>();
        a.monitorNodes((node, up, reason) -> aSees.put(node + (up ? " up" : " down")));
        b.monitorNodes((node, up, reason) -> bSees.put(node + (up ? " up" : " down")));
        CountDownLatch got = new CountDownLatch(N);
        PortId sink = b.newPort((ctx, m) -> got.countDown());

        a.connect(b.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
        assertThat(aSees.next()).isEqualTo("metrics-b up");
        assertThat(bSees.next()).isEqualTo("metrics-a up");
        String[] toB = {"node", "metrics-a", "peer", "metrics-b"};
        String[] fromA = {"node", "metrics-b", "peer", "metrics-a"};
        double sentBefore = counter(ra, AempMetrics.LINK_MESSAGES_SENT, toB);
        double receivedBefore = counter(rb, AempMetrics.LINK_MESSAGES_RECEIVED, fromA);
        double totalSentBefore = counter(ra, AempMetrics.MESSAGES_SENT, "node", "metrics-a");
        double bytesBefore = counter(ra, AempMetrics.LINK_BYTES_SENT, toB);
        double bytesInBefore = counter(rb, AempMetrics.LINK_BYTES_RECEIVED, fromA);

        for (int i = 0; i < N; i++) {
            a.send(sink, i, "x".repeat(40));
        }
        assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(counter(ra, AempMetrics.LINK_MESSAGES_SENT, toB) - sentBefore).isEqualTo(N);
        assertThat(counter(rb, AempMetrics.LINK_MESSAGES_RECEIVED, fromA) - receivedBefore).isEqualTo(N);
        assertThat(counter(ra, AempMetrics.MESSAGES_SENT, "node", "metrics-a") - totalSentBefore).isEqualTo(N);
        double bytes = counter(ra, AempMetrics.LINK_BYTES_SENT, toB) - bytesBefore;
        assertThat(bytes).isGreaterThan(N * 40);
        assertThat(counter(rb, AempMetrics.LINK_BYTES_RECEIVED, fromA) - bytesInBefore).isEqualTo(bytes);
        assertThat(gauge(ra, AempMetrics.LINK_UP, toB)).isEqualTo(1);
        assertThat(gauge(ra, AempMetrics.LINK_BUSY, toB)).isZero();
        assertThat(gauge(ra, AempMetrics.LINK_BACKLOG, toB)).isZero();
        assertThat(counter(ra, AempMetrics.LINK_OVERFLOWS, toB)).isZero();
        assertThat(gauge(ra, AempMetrics.LINKS_UP, "node", "metrics-a")).isEqualTo(1);
        assertThat(counter(ra, AempMetrics.NODE_UP, "node", "metrics-a")).isEqualTo(1);
        assertThat(counter(ra, AempMetrics.NODE_DOWN, "node", "metrics-a")).isZero();
        assertThat(counter(ra, AempMetrics.HANDSHAKE_FAILURES, "node", "metrics-a")).isZero();
        assertThat(gauge(rb, AempMetrics.MAILBOXES_BUSY, "node", "metrics-b")).isZero();

        // b goes: a counts the down, keeps the totals, and drops b's link meters
        b.close();
        assertThat(aSees.next()).isEqualTo("metrics-b down");
        assertThat(counter(ra, AempMetrics.NODE_DOWN, "node", "metrics-a")).isEqualTo(1);
        assertThat(counter(ra, AempMetrics.MESSAGES_SENT, "node", "metrics-a") - totalSentBefore).isEqualTo(N);
        await("b's link meters to go", () -> {
            counter(ra, AempMetrics.MESSAGES_SENT, "node", "metrics-a"); // a read notices, and sweeps
            return ra.find(AempMetrics.LINK_MESSAGES_SENT).tags(toB).functionCounter() == null;
        });
        assertThat(gauge(ra, AempMetrics.LINKS_UP, "node", "metrics-a")).isZero();

        ma.close();
        assertThat(ra.getMeters()).isEmpty();
        assertThatThrownBy(() -> ma.bindTo(new SimpleMeterRegistry())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void oneBinderServesSeveralRegistriesAndLinksMadeAfterBinding() throws Exception {
        Node a = node("several-a");
        Node b = node("several-b");
        SimpleMeterRegistry first = new SimpleMeterRegistry();
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        AempMetrics m = fresh(a);
        m.bindTo(first);
        m.bindTo(first); // once is enough
        Probe<String> aSees = new Probe<>();
        a.monitorNodes((node, up, reason) -> aSees.put(node));
        a.connect(b.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
        assertThat(aSees.next()).isEqualTo("several-b");
        m.bindTo(second);

        for (SimpleMeterRegistry r : List.of(first, second)) {
            assertThat(r.get(AempMetrics.LINK_UP).tags("peer", "several-b").gauge().value()).isEqualTo(1);
            assertThat(r.find(AempMetrics.MESSAGES_SENT).meters()).hasSize(1);
        }
        List<Meter.Id> ids = first.getMeters().stream().map(Meter::getId).toList();
        assertThat(ids).allSatisfy(id -> assertThat(id.getTag("node")).isEqualTo("several-a"));
        m.close();
        assertThat(first.getMeters()).isEmpty();
        assertThat(second.getMeters()).isEmpty();
    }

    @Test
    void failuresAndOverflowsAreCounted(TestLogs logs) throws Exception {
        logs.allow(Level.WARN, "handshake with .* failed").allow(Level.WARN, "failed authentications");
        Node a = node("failures-a");
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        fresh(a).bindTo(r);
        Probe<String> incidents = new Probe<>();
        a.monitorIncidents(new IncidentListener() { // after the binder's: it has counted when this hears
            @Override
            public void handshakeFailed(String node, String address, HandshakeFault fault, String reason) {
                incidents.put(fault.name());
            }

            @Override
            public void mailboxOverflowed(PortId port, String reason) {
                incidents.put("mailbox");
            }
        });

        Node stranger = nodes.start("failures-stranger", c -> c.binds(List.of()).secret("not-the-secret"));
        assertThatThrownBy(() -> stranger.connect(a.listenAddresses().get(0)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThat(incidents.next()).isEqualTo("AUTH");
        assertThat(counter(r, AempMetrics.AUTH_FAILURES, "node", "failures-a")).isEqualTo(1);

        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch taken = new CountDownLatch(1);
        PortId port = a.newPort((ctx, m) -> {
            taken.countDown();
            release.await();
        });
        a.limitMailbox(port, 1);
        Probe<KillReason> down = new Probe<>();
        a.monitor(port, down::put);
        a.send(port, "first");
        assertThat(taken.await(10, TimeUnit.SECONDS)).isTrue();
        a.send(port, 1);
        a.send(port, 2);
        release.countDown();
        assertThat(incidents.next()).isEqualTo("mailbox");
        assertThat(down.next().type()).isEqualTo(KillReason.MAILBOX_OVERFLOW);
        assertThat(counter(r, AempMetrics.MAILBOX_OVERFLOWS, "node", "failures-a")).isEqualTo(1);
    }

    @Test
    void aBusyMailboxShowsInTheGauges() throws Exception {
        Node a = nodes.start("mailbox-gauges", c -> c.mailboxBusyMessages(5));
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        fresh(a).bindTo(r);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch taken = new CountDownLatch(1);
        PortId port = a.newPort((ctx, m) -> {
            taken.countDown();
            release.await();
        });
        a.send(port, "first");
        assertThat(taken.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 8; i++) {
            a.send(port, i);
        }
        assertThat(gauge(r, AempMetrics.MAILBOXES_BUSY, "node", "mailbox-gauges")).isEqualTo(1);
        assertThat(gauge(r, AempMetrics.MAILBOX_DEPTH_MAX, "node", "mailbox-gauges")).isEqualTo(8);
        release.countDown();
    }

    @Test
    void oneSnapshotServesTheReadsOfAScrape() {
        Node a = nodes.start("snapshot");
        AtomicLong clock = new AtomicLong();
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        new AempMetrics(a, clock::get).bindTo(r);
        FunctionCounter sent = r.get(AempMetrics.MESSAGES_SENT).functionCounter();
        Gauge busy = r.get(AempMetrics.MAILBOXES_BUSY).gauge();
        assertThat(sent.count()).isZero();
        assertThat(busy.value()).isZero();
        // a stats reader counts its snapshots: two reads within the age, one snapshot
        StatsReader reader = new StatsReader(a, clock::get);
        StatsReader.Snapshot s = reader.read();
        assertThat(reader.read()).isSameAs(s);
        clock.addAndGet(StatsReader.MAX_AGE_NANOS);
        assertThat(reader.read()).isNotSameAs(s);
    }
}
