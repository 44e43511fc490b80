package org.aemp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testing.logging.TestLogs;
import org.aemp.testkit.TcpRelay;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.event.Level;

/**
 * Large messages on links between Java nodes, with the real codecs and auth over loopback: the
 * chunked framing lets small messages pass a 16 MiB one, keeps per-port and node-port order,
 * delivers nothing of a message whose link is cut in the middle of it, leaves the wire toward a
 * peer that does not announce it unchanged, and fails only the link of a peer that abuses it.
 */
@Timeout(120)
class ChunkedLinkTest {
    private static final String SECRET = JavaToJavaTest.SECRET;
    private static final int LARGE = 16 << 20;

    @RegisterExtension
    final TestNodes nodes = new TestNodes();
    private TestLogs logs;
    private final LinkedBlockingQueue<String> arrivals = new LinkedBlockingQueue<>();

    @BeforeEach
    void logs(TestLogs logs) {
        this.logs = logs;
    }

    /**
     * A node with the framing; its backlog limit is 64 MiB, as a 16 MiB message and anything sent
     * after it would pass the default of 16 MiB, failing the link; its links ask for a sign of
     * life only after a minute, so that the counts hold only what the test sends even when
     * a 16 MiB message takes seconds on a busy machine.
     */
    private Node node(String id, String framing, UnaryOperator<NodeConfig.Builder> more) {
        return nodes.start(id, c -> more.apply(c.binds(List.of("127.0.0.1:0")).secret(SECRET)
                .framingFormat(List.of(framing)).linkBacklogLimit(64 << 20).livenessTimeout(Duration.ofMinutes(3))));
    }

    /**
     * Node b, with ports {@code big} and {@code small} recording what arrives. Callbacks run inline
     * where they can, but a 16 MiB message is over the mailbox's busy threshold and goes to a
     * worker, so the order of arrivals across ports is not the order of delivery: {@code small}
     * also records how many messages b had taken from the network when it ran, which is.
     */
    private Node receiver(String framing) {
        Node b = node("b", framing, c -> c.inlineCallbacks(true));
        b.receive(new PortId("b", "big"), (ctx, msg) -> arrivals.put("big:" + describe(msg)));
        b.receive(new PortId("b", "small"), (ctx, msg) -> arrivals.put("small:" + describe(msg)
                + "@" + (b.stats().totals().messagesIn() - delivered)));
        JavaToJavaTest.echo(b);
        return b;
    }

    /** Messages b had taken from the network before the test's messages. */
    private volatile long delivered;

    private static String describe(List<Object> msg) throws Exception {
        if (msg.size() == 1) {
            return String.valueOf(msg.get(0));
        }
        String text = (String) msg.get(1);
        return msg.get(0) + "/" + text.length() + "/" + digest(text);
    }

    private static String digest(String text) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d, 0, 8);
    }

    /** {@code length} characters of letters and digits, from {@code seed}. */
    private static String text(int length, long seed) {
        Random r = new Random(seed);
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = (char) ('a' + r.nextInt(26));
        }
        return new String(c);
    }

    private String next() throws InterruptedException {
        String s = arrivals.poll(60, TimeUnit.SECONDS);
        assertThat(s).as("a message within 60 s").isNotNull();
        return s;
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "kryo"})
    void aSmallMessageSentAfterA16MiBOneToAnotherPortArrivesBeforeIt(String framing) throws Exception {
        Node b = receiver(framing);
        Node a = node("a", framing, c -> c);
        a.addAddresses("b", b.listenAddresses());
        JavaToJavaTest.ping(a, b);
        delivered = b.stats().totals().messagesIn();
        String big = text(LARGE, 1);
        a.send(new PortId("b", "big"), 1, big);
        a.send(new PortId("b", "big"), 2); // to the same port: waits for the large one
        a.send(new PortId("b", "small"), 3);
        assertThat(next()).as("delivered first, while the large message was on its way").isEqualTo("small:3@1");
        assertThat(next()).isEqualTo("big:1/" + LARGE + "/" + digest(big));
        assertThat(next()).isEqualTo("big:2");
    }

    @Test
    void withChunkingOffTheSmallMessageWaitsBehindTheLargeOne() throws Exception {
        Node b = receiver("json");
        Node a = node("a", "json", c -> c.linkChunkSize(0));
        a.addAddresses("b", b.listenAddresses());
        JavaToJavaTest.ping(a, b);
        delivered = b.stats().totals().messagesIn();
        String big = text(LARGE, 2);
        a.send(new PortId("b", "big"), 1, big);
        a.send(new PortId("b", "small"), 3);
        List<String> got = List.of(next(), next());
        assertThat(got).as("delivered after the large message").containsExactlyInAnyOrder(
                "big:1/" + LARGE + "/" + digest(big), "small:3@2");
    }

    private static org.aemp.LinkStats link(Node from, String to) {
        return from.stats().links().stream().filter(l -> l.node().equals(to)).findFirst().orElseThrow();
    }

    @Test
    void aLargeMessageInChunksCountsOnceAndByItsBytesAndMakesTheLinkBusyUntilItIsOut() throws Exception {
        Node b = receiver("kryo");
        Node a = node("a", "kryo", c -> c);
        a.addAddresses("b", b.listenAddresses());
        JavaToJavaTest.ping(a, b);
        org.aemp.LinkStats out0 = link(a, "b");
        org.aemp.LinkStats in0 = link(b, "a");
        String big = text(LARGE, 5);
        a.send(new PortId("b", "big"), 1, big);
        assertThat(a.trySend(new PortId("b", "small"), 2)).as("busy: 16 MiB queued, over the 1 MiB threshold")
                .isFalse();
        a.whenReady(new PortId("b", "small")).get(60, TimeUnit.SECONDS);
        assertThat(next()).isEqualTo("big:1/" + LARGE + "/" + digest(big));
        org.aemp.LinkStats out = link(a, "b");
        org.aemp.LinkStats in = link(b, "a");
        assertThat(out.messagesOut() - out0.messagesOut()).isEqualTo(1);
        assertThat(in.messagesIn() - in0.messagesIn()).isEqualTo(1);
        long sentBytes = out.bytesOut() - out0.bytesOut();
        assertThat(sentBytes).as("the frame and 9 or 13 bytes per 64 KiB chunk")
                .isBetween((long) LARGE, LARGE + 16L * 1024);
        assertThat(in.bytesIn() - in0.bytesIn()).isEqualTo(sentBytes);
        assertThat(out.backlogBytes()).isZero();
        assertThat(out.refusals() - out0.refusals()).isEqualTo(1);
    }

    @Test
    void largeAndSmallMessagesInterleavedArriveWholeAndInPerPortOrder() throws Exception {
        Node b = receiver("kryo");
        Node a = node("a", "kryo", c -> c);
        a.addAddresses("b", b.listenAddresses());
        JavaToJavaTest.ping(a, b);
        List<String> expectBig = new ArrayList<>();
        List<String> expectSmall = new ArrayList<>();
        Random r = new Random(7);
        int n = 0;
        for (int round = 0; round < 3; round++) {
            String big = text(LARGE - r.nextInt(1000), round);
            a.send(new PortId("b", "big"), n, big);
            expectBig.add("big:" + n++ + "/" + big.length() + "/" + digest(big));
            for (int i = 0; i < 100; i++) {
                if (r.nextInt(10) == 0) {
                    String mid = text(r.nextInt(300_000), n);
                    a.send(new PortId("b", "big"), n, mid);
                    expectBig.add("big:" + n++ + "/" + mid.length() + "/" + digest(mid));
                } else {
                    a.send(new PortId("b", "small"), n);
                    expectSmall.add("small:" + n++);
                }
            }
        }
        List<String> gotBig = new ArrayList<>();
        List<String> gotSmall = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String s = next();
            (s.startsWith("big:") ? gotBig : gotSmall).add(s.replaceAll("@.*", ""));
        }
        assertThat(gotBig).containsExactlyElementsOf(expectBig);
        assertThat(gotSmall).containsExactlyElementsOf(expectSmall);
    }

    @Test
    void aPeerThatDoesNotAnnounceChunksGetsLargeMessagesWholeInItsFraming() throws Exception {
        Node a = node("a", "json", c -> c);
        Probe<String> events = new Probe<>();
        a.monitorNodes((node, up, reason) -> events.put(node + (up ? " up" : " down")));
        try (RawPeer raw = RawPeer.connect(a.listenAddresses().get(0), "raw").handshake(SECRET)) {
            assertThat(events.next()).isEqualTo("raw up");
            assertThat(raw.peerGreeting()).as("what Perl sees, and ignores").contains(";chunks=1");
            String big = text(1 << 20, 3);
            a.send(new PortId("raw", "in"), big);
            a.send(new PortId("raw", "in"), "after");
            assertThat(raw.readMessage()).containsExactly("in", big);
            assertThat(raw.readMessage()).containsExactly("in", "after");
        }
    }

    @Test
    void aLinkCutInTheMiddleOfALargeMessageFiresMonitorsAndDeliversNothingOfIt() throws Exception {
        Node b = receiver("json");
        InetSocketAddress target = new InetSocketAddress("127.0.0.1",
                Integer.parseInt(b.listenAddresses().get(0).replaceAll(".*:", "")));
        Node a = node("a", "json", c -> c);
        try (TcpRelay relay = new TcpRelay(target, 4 << 20)) { // resets the first connection after 4 MiB from a
            a.addAddresses("b", List.of(relay.address()));
            JavaToJavaTest.ping(a, b);
            Probe<KillReason> down = new Probe<>();
            a.monitor(new PortId("b", "big"), down::put);
            a.send(new PortId("b", "big"), 1, text(LARGE, 4));
            assertThat(down.next(Duration.ofSeconds(30)).values()).first().isEqualTo("transport_error");
            a.send(new PortId("b", "small"), 2); // a new link
            assertThat(next()).startsWith("small:2@");
            assertThat(arrivals.poll(500, TimeUnit.MILLISECONDS)).as("nothing of the large message").isNull();
        }
    }

    /** Node a, linked to b (to show it keeps serving), attacked by a raw peer that announces chunks. */
    private Node[] attacked() {
        Node a = node("a", "json", c -> c.maxFrameLength(1 << 20));
        Node b = node("b", "json", c -> c);
        JavaToJavaTest.echo(a);
        b.addAddresses("a", a.listenAddresses());
        JavaToJavaTest.ping(b, a);
        return new Node[] {a, b};
    }

    private static byte[] begin(int id, int total, int len) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(1).writeInt(len).writeInt(id).writeInt(total).writeZero(len);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    @Test
    void aPeerOpeningTooManyChunkedMessagesLosesOnlyItsLink() throws IOException {
        Node[] ab = attacked();
        try (RawPeer raw = RawPeer.connect(ab[0].listenAddresses().get(0), "raw")) {
            raw.handshake(SECRET, raw.greeting() + ";chunks=1");
            for (int id = 0; id < 5; id++) {
                raw.write(begin(id, 1000, 10));
            }
            assertThat(raw.awaitClosed(RawPeer.PATIENCE)).as("connection closed").isTrue();
        }
        logs.await(RawPeer.PATIENCE, Level.WARN,
                LogPatterns.inOrder("link to node raw", "chunked framing: more than 4 messages in chunks at once"));
        JavaToJavaTest.ping(ab[1], ab[0]);
    }

    @Test
    void aPeerAnnouncingAChunkedMessageOverTheFrameLimitLosesOnlyItsLink() throws IOException {
        Node[] ab = attacked();
        try (RawPeer raw = RawPeer.connect(ab[0].listenAddresses().get(0), "raw")) {
            raw.handshake(SECRET, raw.greeting() + ";chunks=1");
            raw.write(begin(0, (1 << 20) + 1, 0));
            assertThat(raw.awaitClosed(RawPeer.PATIENCE)).as("connection closed").isTrue();
        }
        logs.await(RawPeer.PATIENCE, Level.WARN, LogPatterns.inOrder("link to node raw",
                "chunked framing: message 0 of 1048577 bytes; the frame limit is 1048576 bytes (max_frame_length)"));
        JavaToJavaTest.ping(ab[1], ab[0]);
    }
}
