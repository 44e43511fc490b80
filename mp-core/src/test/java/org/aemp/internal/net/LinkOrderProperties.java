package org.aemp.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.FrameDecoder;
import org.aemp.testing.TestCodec;

/**
 * The sending side of the chunked framing ({@link Link}), on an {@link EmbeddedChannel}: for any
 * sequence of small and large messages to a few ports and the node port, with the event loop
 * running at arbitrary points in between, the receiver gets every message once, whole, messages
 * to one port in send order, and every node-port message after everything sent before it and
 * before everything sent after it. Without the framing the bytes are the codec's frames in send
 * order, as ever.
 */
class LinkOrderProperties {
    private static final int CHUNK = 1024;

    /**
     * One step: send a message ({@code size} payload bytes to {@code port}; {@code nested}: in a
     * list, where the link's quick look for large messages does not see them), or run the event loop.
     */
    private record Step(String port, int size, boolean nested, boolean runLoop) {
    }

    @Property(tries = 300)
    void chunkedLinksKeepPerPortAndNodePortOrder(@ForAll("steps") List<Step> steps) {
        List<Step> sent = new ArrayList<>();
        List<List<Object>> got = run(steps, CHUNK, sent);
        assertThat(got).hasSize(sent.size());
        Map<Integer, Integer> position = new HashMap<>(); // seq -> place of arrival
        for (int i = 0; i < got.size(); i++) {
            List<Object> m = got.get(i);
            int seq = ((Number) m.get(1)).intValue();
            assertThat(position.put(seq, i)).as("message %d once", seq).isNull();
            Object payload = sent.get(seq).nested() ? ((List<?>) m.get(2)).get(0) : m.get(2);
            assertThat(((byte[]) payload).length).as("message %d whole", seq).isEqualTo(sent.get(seq).size());
            assertThat(m.get(0)).isEqualTo(sent.get(seq).port());
        }
        for (int a = 0; a < sent.size(); a++) {
            for (int b = a + 1; b < sent.size(); b++) {
                boolean ordered = sent.get(a).port().equals(sent.get(b).port()) || sent.get(a).port().isEmpty()
                        || sent.get(b).port().isEmpty();
                if (ordered) {
                    assertThat(position.get(a)).as("message %d (to '%s') before %d (to '%s')", a, sent.get(a).port(),
                            b, sent.get(b).port()).isLessThan(position.get(b));
                }
            }
        }
    }

    @Property(tries = 100)
    void withoutTheFramingEverythingGoesInSendOrderAsPlainFrames(@ForAll("steps") List<Step> steps) {
        List<Step> sent = new ArrayList<>();
        List<List<Object>> got = run(steps, 0, sent);
        assertThat(got).hasSize(sent.size());
        for (int i = 0; i < got.size(); i++) {
            assertThat(((Number) got.get(i).get(1)).intValue()).isEqualTo(i);
        }
    }

    /** Runs the steps through a link with that chunk size; the messages the peer decodes, in order. */
    private static List<List<Object>> run(List<Step> steps, int chunkSize, List<Step> sent) {
        EmbeddedChannel ch = new EmbeddedChannel();
        TestCodec codec = new TestCodec();
        Handshake.Peer peer = new Handshake.Peer("peer", null, codec, codec, "test", false, null, chunkSize);
        Link link = new Link(ch, peer, "self", new Link.Limits(Duration.ofSeconds(60), 1L << 30, 1L << 40),
                new LinkCounters(), busy -> { }, why -> { });
        List<ByteBuf> wire = new ArrayList<>();
        for (Step s : steps) {
            if (s.runLoop()) {
                ch.runPendingTasks();
                drain(ch, wire);
                continue;
            }
            byte[] payload = new byte[s.size()];
            assertThat(link.write(List.of(s.port(), sent.size(), s.nested() ? List.of(payload) : payload), Link.Mode.SEND))
                    .isEqualTo(Link.Outcome.QUEUED);
            sent.add(s);
        }
        for (int i = 0; i < 10_000 && (ch.hasPendingTasks() || link.backlog() > 0); i++) {
            ch.runPendingTasks();
            drain(ch, wire);
        }
        drain(ch, wire);
        assertThat(link.backlog()).isZero();
        assertThat(link.unsent()).isZero();

        DecodeLimits limits = DecodeLimits.of(1 << 20);
        FrameDecoder decoder = codec.newDecoder(limits);
        List<List<Object>> got = new ArrayList<>();
        ChunkReader reader = chunkSize > 0 ? new ChunkReader(limits) : null;
        for (ByteBuf b : wire) {
            if (reader != null) {
                reader.read(b, new ChunkReader.Sink() {
                    @Override
                    public void stream(ByteBuffer bytes) {
                        decoder.decode(bytes, (m, n) -> got.add(m));
                    }

                    @Override
                    public void message(ByteBuffer frame) {
                        decoder.decode(frame, (m, n) -> got.add(m));
                    }
                });
            } else {
                decoder.decode(b.nioBuffer(), (m, n) -> got.add(m));
            }
            b.release();
        }
        assertThat(decoder.pending()).isZero();
        if (reader != null) {
            assertThat(reader.openMessages()).isZero();
        }
        ch.finishAndReleaseAll();
        return got;
    }

    private static void drain(EmbeddedChannel ch, List<ByteBuf> wire) {
        for (Object o; (o = ch.readOutbound()) != null; ) {
            wire.add((ByteBuf) o);
        }
    }

    /** Up to 40 steps: sends to p, q or the node port, small (up to 50 bytes) or large (up to 5 chunks), and loop runs. */
    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> send = Combinators.combine(Arbitraries.of("p", "q", "r", ""),
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 50)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(CHUNK, 5 * CHUNK))),
                Arbitraries.of(false, true))
                .as((port, size, nested) -> new Step(port, size, nested, false));
        Arbitrary<Step> loop = Arbitraries.just(new Step("", 0, false, true));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, send), net.jqwik.api.Tuple.of(1, loop))
                .list().ofMaxSize(40);
    }
}
