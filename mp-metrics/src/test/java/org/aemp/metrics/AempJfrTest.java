package org.aemp.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.aemp.Guard;
import org.aemp.IncidentListener;
import org.aemp.Node;
import org.aemp.PortId;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * A recording started by the test sees a node's link events and failures: two nodes in this JVM
 * link up, a stranger with the wrong secret fails its handshake, a port and a link overflow, and
 * the link goes down. The test waits for each through a listener registered after
 * {@link AempJfr#enable}'s (node events reach the listeners of a node in order), so that the event
 * is committed before the recording stops.
 */
@Timeout(60)
class AempJfrTest {
    private static final String SECRET = "jfr-secret";

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @TempDir
    Path dir;

    @Test
    void aRecordingHoldsLinkUpDownHandshakeFailureAndOverflows(TestLogs logs) throws Exception {
        logs.allow(Level.WARN, "handshake with .* failed").allow(Level.WARN, "failed authentications")
                .allow(Level.WARN, "messages were not sent");
        // a sends; b reads its link only while its mailbox is not busy (10 waiting), and its one port blocks
        Node a = nodes.start("jfr-a", c -> c.binds(List.of("127.0.0.1:0")).secret(SECRET)
                .linkBusyThreshold(16 << 10).linkBacklogLimit(64 << 10));
        Node b = nodes.start("jfr-b", c -> c.binds(List.of("127.0.0.1:0")).secret(SECRET).mailboxBusyMessages(10));
        Probe<String> seen = new Probe<>();

        try (Recording recording = new Recording()) {
            for (String name : List.of("org.aemp.LinkUp", "org.aemp.LinkDown", "org.aemp.HandshakeFailure",
                    "org.aemp.Overflow")) {
                recording.enable(name);
            }
            recording.start();
            Guard jfr = AempJfr.enable(a);
            a.monitorNodes((node, up, reason) -> seen.put(node + (up ? " up" : " down")));
            a.monitorIncidents(new IncidentListener() {
                @Override
                public void handshakeFailed(String node, String address, HandshakeFault fault, String reason) {
                    seen.put("handshake " + fault);
                }

                @Override
                public void linkOverflowed(String node, String reason) {
                    seen.put("link overflow " + node);
                }

                @Override
                public void mailboxOverflowed(PortId port, String reason) {
                    seen.put("mailbox overflow");
                }
            });

            a.connect(b.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
            assertThat(seen.next()).isEqualTo("jfr-b up");

            Node stranger = nodes.start("jfr-stranger", c -> c.binds(List.of()).secret("not-the-secret"));
            assertThatThrownBy(() -> stranger.connect(a.listenAddresses().get(0)).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
            assertThat(seen.next()).isEqualTo("handshake AUTH");

            overflowAMailbox(a);
            assertThat(seen.next()).isEqualTo("mailbox overflow");

            CountDownLatch release = new CountDownLatch(1);
            PortId slow = b.newPort((ctx, m) -> release.await());
            String payload = "z".repeat(8 << 10);
            try {
                // b stops reading, the sockets' buffers fill, then a's backlog: the send that
                // takes it over the limit fails the link. Stop at that send (counted before it
                // returns): the listener hears of it later, and sends after it would make new
                // attempts to connect, each of which may overflow again
                long overflows = a.stats().totals().overflows();
                for (int i = 0; i < 100_000 && a.stats().totals().overflows() == overflows; i++) {
                    a.send(slow, i, payload);
                }
                assertThat(seen.next()).isEqualTo("link overflow jfr-b");
                assertThat(seen.next()).isEqualTo("jfr-b down");
            } finally {
                release.countDown();
            }
            jfr.close();
            recording.stop();
            Path file = dir.resolve("aemp.jfr");
            recording.dump(file);

            // a recording keeps each thread's events apart: put them in the order they happened
            List<RecordedEvent> events = new ArrayList<>(RecordingFile.readAllEvents(file));
            events.sort(Comparator.comparing(RecordedEvent::getStartTime));
            assertThat(events).filteredOn(e -> e.getEventType().getName().equals("org.aemp.LinkUp"))
                    .singleElement().satisfies(e -> {
                        assertThat(e.getString("node")).isEqualTo("jfr-a");
                        assertThat(e.getString("peer")).isEqualTo("jfr-b");
                    });
            assertThat(events).filteredOn(e -> e.getEventType().getName().equals("org.aemp.HandshakeFailure"))
                    .singleElement().satisfies(e -> {
                        assertThat(e.getString("peer")).isEqualTo("jfr-stranger");
                        assertThat(e.getString("fault")).isEqualTo("AUTH");
                        assertThat(e.getString("address")).startsWith("127.0.0.1:");
                        assertThat(e.getString("reason")).isNotEmpty();
                    });
            assertThat(events).filteredOn(e -> e.getEventType().getName().equals("org.aemp.Overflow"))
                    .extracting(e -> e.getString("kind") + " " + e.getString("where").startsWith("jfr-"))
                    .containsExactly("mailbox true", "link true");
            assertThat(events).filteredOn(e -> e.getEventType().getName().equals("org.aemp.Overflow")
                    && e.getString("kind").equals("link")).singleElement()
                    .satisfies(e -> assertThat(e.getString("reason")).contains("link_backlog_limit"));
            assertThat(events).filteredOn(e -> e.getEventType().getName().equals("org.aemp.LinkDown"))
                    .singleElement().satisfies(e -> {
                        assertThat(e.getString("peer")).isEqualTo("jfr-b");
                        assertThat(e.getString("reason")).contains("link_backlog_limit");
                    });
            Files.delete(file);
        }
    }

    /** Gives a port of {@code n} a capacity of 1, and sends it 2 more while it is busy. */
    private static void overflowAMailbox(Node n) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch taken = new CountDownLatch(1);
        PortId port = n.newPort((ctx, m) -> {
            taken.countDown();
            release.await();
        });
        n.limitMailbox(port, 1);
        n.monitor(port, reason -> { }); // monitored: its death is no error
        n.send(port, "first");
        assertThat(taken.await(10, TimeUnit.SECONDS)).isTrue();
        n.send(port, 1);
        n.send(port, 2);
        release.countDown();
    }

    @Test
    void withoutARecordingNothingIsCommittedAndTheGuardStops() throws Exception {
        Node a = nodes.start("jfr-quiet", c -> c.binds(List.of("127.0.0.1:0")).secret(SECRET));
        Node b = nodes.start("jfr-quiet-b", c -> c.binds(List.of("127.0.0.1:0")).secret(SECRET));
        Guard jfr = AempJfr.enable(a);
        Probe<String> seen = new Probe<>();
        a.monitorNodes((node, up, reason) -> seen.put(node));
        a.connect(b.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
        assertThat(seen.next()).isEqualTo("jfr-quiet-b"); // the events were made, and dropped unrecorded
        jfr.close();
        jfr.close(); // idempotent

        try (Recording recording = new Recording()) {
            recording.enable("org.aemp.LinkDown");
            recording.start();
            b.close();
            assertThat(seen.next()).isEqualTo("jfr-quiet-b");
            recording.stop();
            Path file = dir.resolve("quiet.jfr");
            recording.dump(file);
            assertThat(RecordingFile.readAllEvents(file))
                    .noneMatch(e -> e.getEventType().getName().startsWith("org.aemp."));
        }
    }
}
