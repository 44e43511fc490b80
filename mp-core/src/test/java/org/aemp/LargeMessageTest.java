package org.aemp;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Large messages between two Java nodes over real loopback sockets: with the chunked framing
 * (both nodes have {@code linkChunkSize} on) a small message sent after a large one to another port
 * arrives first, while messages to the same port and to the node port keep their order; with it
 * off on either side, the link sends every message whole, as before. The large messages are 4 MiB
 * here (64 chunks of the default size); ChunkedLinkTest in interop-tests sends 16 MiB ones with the
 * real codecs.
 */
@Timeout(60)
class LargeMessageTest {
    private static final int LARGE = 4 << 20;

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private final LinkedBlockingQueue<String> arrivals = new LinkedBlockingQueue<>();

    private Node[] pair(UnaryOperator<NodeConfig.Builder> forA, UnaryOperator<NodeConfig.Builder> forB) {
        Node a = nodes.listening("a", forA);
        // inline callbacks: each runs on b's I/O thread as its message is decoded, so the order of
        // arrivals below is the order of delivery, whichever ports they are for
        Node b = nodes.listening("b", c -> forB.apply(c.inlineCallbacks(true)));
        a.addAddresses("b", b.listenAddresses());
        for (String p : List.of("big", "small", "other")) {
            b.receive(new PortId("b", p), (ctx, msg) -> arrivals.put(p + ":" + describe(msg)));
        }
        return new Node[] {a, b};
    }

    /** "n" for a message of one small number n; else the length and digest of the byte array after the number. */
    private static String describe(List<Object> msg) throws Exception {
        if (msg.size() == 1) {
            return String.valueOf(msg.get(0));
        }
        byte[] bytes = (byte[]) msg.get(1);
        return msg.get(0) + "/" + bytes.length + "/" + digest(bytes);
    }

    private static String digest(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
    }

    private static byte[] large(long seed) {
        byte[] b = new byte[LARGE];
        new Random(seed).nextBytes(b);
        return b;
    }

    private String next() throws InterruptedException {
        String s = arrivals.poll(30, TimeUnit.SECONDS);
        assertThat(s).as("a message within 30 s").isNotNull();
        return s;
    }

    private void warmUp(Node a) throws InterruptedException {
        a.send(new PortId("b", "other"), 0);
        assertThat(next()).isEqualTo("other:0");
    }

    @Test
    void aSmallMessageSentAfterALargeOneToAnotherPortArrivesFirst() throws Exception {
        Node a = pair(c -> c, c -> c)[0];
        warmUp(a);
        byte[] big = large(1);
        a.send(new PortId("b", "big"), 1, big);
        a.send(new PortId("b", "small"), 2);
        assertThat(next()).isEqualTo("small:2");
        assertThat(next()).isEqualTo("big:1/" + LARGE + "/" + digest(big));
    }

    @Test
    void withChunkingOffOnEitherSideTheLargeMessageGoesFirstAsBefore() throws Exception {
        for (int off = 0; off < 2; off++) {
            UnaryOperator<NodeConfig.Builder> without = c -> c.linkChunkSize(0);
            UnaryOperator<NodeConfig.Builder> with = c -> c;
            Node a = pair(off == 0 ? without : with, off == 0 ? with : without)[0];
            warmUp(a);
            byte[] big = large(2);
            a.send(new PortId("b", "big"), 1, big);
            a.send(new PortId("b", "small"), 2);
            assertThat(next()).isEqualTo("big:1/" + LARGE + "/" + digest(big));
            assertThat(next()).isEqualTo("small:2");
            nodes.afterEach(null);
        }
    }

    @Test
    void messagesToThePortOfALargeOneWaitForIt() throws Exception {
        Node a = pair(c -> c, c -> c)[0];
        warmUp(a);
        byte[] big = large(3);
        a.send(new PortId("b", "big"), 1, big);
        a.send(new PortId("b", "big"), 2);
        a.send(new PortId("b", "small"), 3);
        assertThat(next()).isEqualTo("small:3");
        assertThat(next()).isEqualTo("big:1/" + LARGE + "/" + digest(big));
        assertThat(next()).isEqualTo("big:2");
    }

    @Test
    void aKillSentAfterALargeMessageWaitsForItAndHoldsUpWhatFollows() throws Exception {
        Node[] ab = pair(c -> c, c -> c);
        Node a = ab[0];
        Node b = ab[1];
        warmUp(a);
        PortId victim = b.newPort((ctx, msg) -> arrivals.put("victim:" + describe(msg)));
        Probe<KillReason> down = new Probe<>();
        a.monitor(victim, down::put);
        byte[] big = large(4);
        a.send(victim, 1, big);
        a.kill(victim, "test", "after the large message");
        a.send(new PortId("b", "small"), 5); // sent after the kill: must not overtake it
        assertThat(next()).isEqualTo("victim:1/" + LARGE + "/" + digest(big));
        assertThat(next()).isEqualTo("small:5");
        assertThat(down.next(Duration.ofSeconds(30)).values()).containsExactly("test", "after the large message");
    }

    @Test
    void manyLargeAndSmallMessagesArriveWholeAndInOrderPerPort() throws Exception {
        Node a = pair(c -> c.linkChunkSize(4096), c -> c.linkChunkSize(4096))[0];
        warmUp(a);
        Random r = new Random(42);
        List<String> expectBig = new ArrayList<>();
        List<String> expectSmall = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            if (r.nextInt(4) == 0) {
                byte[] bytes = new byte[r.nextInt(200_000)];
                r.nextBytes(bytes);
                a.send(new PortId("b", "big"), i, bytes);
                expectBig.add("big:" + i + "/" + bytes.length + "/" + digest(bytes));
            } else {
                a.send(new PortId("b", "small"), i);
                expectSmall.add("small:" + i);
            }
        }
        List<String> gotBig = new ArrayList<>();
        List<String> gotSmall = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String s = next();
            (s.startsWith("big:") ? gotBig : gotSmall).add(s);
        }
        assertThat(gotBig).containsExactlyElementsOf(expectBig);
        assertThat(gotSmall).containsExactlyElementsOf(expectSmall);
    }
}
