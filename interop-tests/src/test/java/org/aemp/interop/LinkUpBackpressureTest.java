package org.aemp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.aemp.Node;
import org.aemp.NodeStats;
import org.aemp.PortId;
import org.aemp.testing.Poll;
import org.aemp.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A link whose first frames, sent in one piece with the auth line, already fill a port's mailbox
 * must stay paused. The frames that come with the auth line reach the frame handler before the
 * link starts reading; the link used to turn reading on after that unconditionally, undoing the
 * pause the full mailbox had asked for, and then read on without bound (seen as a flaky
 * FlowControlTest: a slow port's mailbox grew to 700,000 messages and the node ran out of heap
 * after its sender reconnected).
 */
class LinkUpBackpressureTest {
    private static final int BUSY = 10;
    private static final int FIRST = 200;
    private static final byte[] FRAME = "[\"sink\",\"x\"]\n".getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @Test
    void framesThatCameWithTheAuthLineAndFilledAMailboxKeepTheLinkPaused() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Node a = nodes.start("a", b -> b.binds(List.of("127.0.0.1:0")).secret(JavaToJavaTest.SECRET)
                .framingFormat(List.of("json")).mailboxBusyMessages(BUSY));
        a.receive(new PortId(a.id(), "sink"), (ctx, m) -> release.await(30, TimeUnit.SECONDS));
        AtomicLong written = new AtomicLong();
        try (RawPeer raw = RawPeer.connect(a.listenAddresses().get(0), "raw")) {
            raw.sendGreeting(raw.greeting()).readGreeting();
            StringBuilder first = new StringBuilder("hmac_sha3_512;" + raw.token(JavaToJavaTest.SECRET) + ";json\n");
            for (int i = 0; i < FIRST; i++) {
                first.append(new String(FRAME, StandardCharsets.US_ASCII));
            }
            raw.write(first.toString()); // the auth line and the first frames in one write, one read
            assertThat(raw.readLine()).as("the node's auth line").isNotNull();

            byte[] chunk = new byte[FRAME.length * 4096];
            for (int i = 0; i < 4096; i++) {
                System.arraycopy(FRAME, 0, chunk, i * FRAME.length, FRAME.length);
            }
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 2048; i++) { // 4096 * 2048 frames (100 MiB) if nothing holds it back
                        raw.write(chunk);
                        written.addAndGet(4096);
                    }
                } catch (IOException e) {
                    // the socket closed at the end of the test
                }
            }, "raw-writer");
            writer.setDaemon(true);
            writer.start();

            Thread.sleep(Duration.ofSeconds(3).toMillis());
            long read = bytesIn(a);
            assertThat(read).as("bytes the node read of the %d written", written.get() * FRAME.length)
                    .isLessThan(4L << 20);
            Thread.sleep(Duration.ofSeconds(1).toMillis());
            assertThat(bytesIn(a)).as("the node reads no more: the link is paused").isEqualTo(read);
            assertThat(mailbox(a)).as("messages waiting in the port's mailbox").isBetween(BUSY, BUSY + 1);
            release.countDown();
        }
    }

    /**
     * A sender whose link keeps failing (as a plain sender's does at its backlog limit) and that
     * reconnects each time, sending a read's worth of messages at once, must not grow a busy
     * mailbox by that much per link: the link stops at the first message that finds the mailbox
     * busy, and the rest of its read waits with it (and is lost with it when the next link
     * replaces it). Before, every new link handed its whole read to the mailbox: 40 links of 2,000
     * messages made 80,000 waiting messages, and a soak run's slow port grew without bound.
     */
    @Test
    void aSenderThatReconnectsOverAndOverCannotGrowABusyMailbox() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Node a = nodes.start("a", b -> b.binds(List.of("127.0.0.1:0")).secret(JavaToJavaTest.SECRET)
                .framingFormat(List.of("json")).mailboxBusyMessages(BUSY));
        a.receive(new PortId(a.id(), "sink"), (ctx, m) -> release.await(30, TimeUnit.SECONDS));
        int links = 40;
        int perLink = 2_000;
        StringBuilder frames = new StringBuilder();
        for (int i = 0; i < perLink; i++) {
            frames.append(new String(FRAME, StandardCharsets.US_ASCII));
        }
        for (int i = 0; i < links; i++) {
            try (RawPeer raw = RawPeer.connect(a.listenAddresses().get(0), "raw")) {
                raw.handshake(JavaToJavaTest.SECRET);
                raw.write(frames.toString());
                raw.readMessage(Duration.ofMillis(50)); // give the node a moment to read (nothing comes back)
            } catch (java.net.SocketTimeoutException expected) {
                // the node sends nothing on this link
            }
        }
        Thread.sleep(500);
        assertThat(mailbox(a)).as("messages waiting after %d links of %d messages each", links, perLink)
                .isLessThan(BUSY + 10 * links);
        release.countDown();
    }

    /**
     * A peer that sends while a port's mailbox is busy and then ends its stream in order (it has
     * sent everything and closes) must still have every message delivered. The link used to close
     * at the end of the stream and drop the messages it had read while it waited for the mailbox,
     * though the peer had handed them all to the socket (seen as a flaky FlowControlTest on a
     * slower VM: a closing sender's last tens of thousands of messages never arrived).
     */
    @Test
    void messagesReadWhileAMailboxWasBusyAreDeliveredAfterThePeerEndsItsStream() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong got = new AtomicLong();
        Node a = nodes.start("a", b -> b.binds(List.of("127.0.0.1:0")).secret(JavaToJavaTest.SECRET)
                .framingFormat(List.of("json")).mailboxBusyMessages(BUSY));
        a.receive(new PortId(a.id(), "sink"), (ctx, m) -> {
            release.await(30, TimeUnit.SECONDS);
            got.incrementAndGet();
        });
        int count = 2_000;
        StringBuilder frames = new StringBuilder();
        for (int i = 0; i < count; i++) {
            frames.append(new String(FRAME, StandardCharsets.US_ASCII));
        }
        try (RawPeer raw = RawPeer.connect(a.listenAddresses().get(0), "raw")) {
            raw.handshake(JavaToJavaTest.SECRET);
            raw.write(frames.toString());
            Thread.sleep(300); // the node reads, finds the mailbox busy and stops reading
            assertThat(mailbox(a)).as("messages waiting in the port's mailbox").isBetween(BUSY, BUSY + 1);
        } // the stream ends here, while the port still holds up the link
        Thread.sleep(300); // the node sees the end of the stream
        release.countDown();
        Poll.until(Duration.ofSeconds(10), () -> got.get() >= count);
        assertThat(got.get()).as("messages the port got of the %d sent", count).isEqualTo(count);
    }

    private static long bytesIn(Node node) {
        return node.stats().links().stream().filter(l -> l.node().equals("raw"))
                .mapToLong(org.aemp.LinkStats::bytesIn).sum();
    }

    /** Messages waiting in the mailbox of {@code node}'s port {@code sink}, 0 when it is not busy. */
    static int mailbox(Node node) {
        return node.stats().busyMailboxes().stream()
                .filter(m -> m.port().name().equals("sink"))
                .mapToInt(NodeStats.Mailbox::messages)
                .findFirst().orElse(0);
    }
}
