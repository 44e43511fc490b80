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
            int waiting = mailbox(a);
            assertThat(waiting).as("messages waiting in the paused port's mailbox (%d written)", written.get())
                    .isGreaterThan(BUSY)
                    .isLessThan(FIRST + 50_000);
            Thread.sleep(Duration.ofSeconds(1).toMillis());
            assertThat(mailbox(a)).as("the mailbox no longer grows: the link is paused").isEqualTo(waiting);
            release.countDown();
        }
    }

    private static int mailbox(Node node) {
        return node.stats().busyMailboxes().stream()
                .filter(m -> m.port().name().equals("sink"))
                .mapToInt(NodeStats.Mailbox::messages)
                .findFirst().orElse(0);
    }
}
