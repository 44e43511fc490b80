package org.aemp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.aemp.testing.Poll;
import org.aemp.testing.Probe;
import org.aemp.testing.TestAuth;
import org.aemp.testing.TestNodes;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

/** The hook that mp-metrics reads: incidents as they happen ({@link Node#monitorIncidents}) and totals that outlive a node's entry. */
@Timeout(60)
class IncidentsTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @Test
    void aPortOverItsMailboxCapacityIsAnIncident() throws Exception {
        Node a = nodes.start("incident-mailbox");
        Probe<String> incidents = new Probe<>();
        Guard guard = a.monitorIncidents(new IncidentListener() {
            @Override
            public void mailboxOverflowed(PortId port, String reason) {
                incidents.put(port + " " + reason);
            }
        });
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        PortId port = a.newPort((ctx, m) -> {
            started.countDown();
            release.await();
        });
        a.limitMailbox(port, 2);
        a.monitor(port, reason -> { }); // monitored: its death is no error
        a.send(port, "first");
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 3; i++) {
            a.send(port, i);
        }
        release.countDown();

        assertThat(incidents.next()).isEqualTo(port + " 3 messages waiting, capacity 2");
        guard.close();
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch taken = new CountDownLatch(1);
        PortId other = a.newPort((ctx, m) -> {
            taken.countDown();
            hold.await();
        });
        a.limitMailbox(other, 1);
        Probe<KillReason> down = new Probe<>();
        a.monitor(other, down::put);
        a.send(other, "first");
        assertThat(taken.await(10, TimeUnit.SECONDS)).isTrue();
        a.send(other, 1);
        a.send(other, 2);
        hold.countDown();
        assertThat(down.next().values()).first().isEqualTo(KillReason.MAILBOX_OVERFLOW);
        incidents.nothingWithin(Duration.ofMillis(200)); // the guard removed the listener
    }

    @Test
    void aWrongSecretIsAnAuthIncidentOnTheNodeThatChecks(TestLogs logs) {
        logs.allow(Level.WARN, "handshake with .* failed").allow(Level.WARN, "failed authentications");
        Node a = nodes.listening("incident-a");
        Probe<String> incidents = new Probe<>();
        a.monitorIncidents(new IncidentListener() {
            @Override
            public void handshakeFailed(String node, String address, HandshakeFault fault, String reason) {
                incidents.put(node + " " + fault + " " + address.startsWith("127.0.0.1:"));
            }
        });
        Node b = nodes.listening("incident-b", c -> c.secret("not-the-secret"));

        assertThatThrownBy(() -> b.connect(a.listenAddresses().get(0)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThat(incidents.next()).isEqualTo("incident-b AUTH true");
        assertThat(a.stats().authFailures()).isEqualTo(1);
    }

    @Test
    void linkStatsNameTheAuthMethodAndThePeersProvider() throws Exception {
        Node a = nodes.listening("stats-a");
        Node b = nodes.listening("stats-b");
        a.connect(b.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
        LinkStats link = a.stats().links().stream().filter(l -> l.node().equals("stats-b")).findFirst().orElseThrow();
        assertThat(link.up()).isTrue();
        assertThat(link.auth()).isEqualTo(TestAuth.NAME);
        assertThat(link.tls()).isFalse();
        assertThat(link.provider()).startsWith("aemp-java-");
    }

    @Test
    void totalsKeepTheCountsOfANodeThatLeftTheTable() throws Exception {
        Node a = nodes.listening("totals-a");
        Node b = nodes.listening("totals-b");
        CountDownLatch got = new CountDownLatch(5);
        PortId sink = b.newPort((ctx, m) -> got.countDown());
        Probe<Boolean> aSees = new Probe<>();
        a.monitorNodes((node, up, reason) -> aSees.put(up));
        a.connect(b.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
        assertThat(aSees.next()).isTrue();
        long before = a.stats().totals().messagesOut();
        for (int i = 0; i < 5; i++) {
            a.send(sink, i);
        }
        assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();

        b.close();
        assertThat(aSees.next()).isFalse();
        // the node-down callback may run before the entry leaves the table (both follow the link's
        // end, on different threads): wait for it to go
        Poll.until(Duration.ofSeconds(10), () -> a.stats().links().stream().noneMatch(l -> l.node().equals("totals-b")));
        NodeStats after = a.stats();
        assertThat(after.links()).extracting(LinkStats::node).doesNotContain("totals-b");
        assertThat(after.totals().messagesOut() - before).isGreaterThanOrEqualTo(5);
    }
}
