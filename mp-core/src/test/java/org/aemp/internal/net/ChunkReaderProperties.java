package org.aemp.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.aemp.spi.CodecException;
import org.aemp.spi.DecodeLimits;

/**
 * The chunked framing's reader ({@link ChunkReader}): well-formed record streams, split at any
 * points, give back the codec's stream with each chunked message whole and at the place of its
 * last chunk; any bytes at all give that or a {@link CodecException}, and the reader never holds
 * more of the node's budget than the frame limit, and nothing once closed.
 */
class ChunkReaderProperties {
    private static final int MAX_FRAME = 4096;

    /** What a sender meant: stream bytes, and messages cut into chunks, interleaved. */
    private record Plan(byte[] wire, List<String> expected) {
    }

    /** Records the sink's calls: "s:<hex>" for stream bytes (joined), "m:<hex>" for a message. */
    private static final class Recorder implements ChunkReader.Sink {
        final List<String> calls = new ArrayList<>();
        private final ByteArrayOutputStream stream = new ByteArrayOutputStream();

        @Override
        public void stream(ByteBuffer bytes) {
            byte[] b = new byte[bytes.remaining()];
            bytes.get(b);
            stream.writeBytes(b);
        }

        @Override
        public void message(ByteBuffer frame) {
            endStream();
            byte[] b = new byte[frame.remaining()];
            frame.get(b);
            calls.add("m:" + hex(b));
        }

        List<String> finish() {
            endStream();
            return calls;
        }

        private void endStream() {
            if (stream.size() > 0) {
                calls.add("s:" + hex(stream.toByteArray()));
                stream.reset();
            }
        }
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    @Property(tries = 500)
    void aWellFormedStreamSplitAnywhereGivesTheStreamAndWholeMessagesInPlace(@ForAll("plans") Plan plan,
            @ForAll @Size(max = 8) List<@IntRange(min = 1, max = 200) Integer> cuts) {
        DecodeLimits limits = DecodeLimits.of(MAX_FRAME, 1000, 3L * MAX_FRAME);
        ChunkReader reader = new ChunkReader(limits);
        Recorder out = new Recorder();
        feed(reader, plan.wire(), cuts, out);
        assertThat(out.finish()).containsExactlyElementsOf(plan.expected());
        assertThat(reader.openMessages()).isZero();
        assertThat(limits.bufferedBytes()).isZero();
        reader.close();
        assertThat(limits.bufferedBytes()).isZero();
    }

    @Property(tries = 2000)
    void anyBytesGiveRecordsOrACodecExceptionAndTheBudgetStaysBounded(@ForAll @Size(max = 300) byte[] junk,
            @ForAll @Size(max = 4) List<@IntRange(min = 1, max = 50) Integer> cuts) {
        DecodeLimits limits = DecodeLimits.of(MAX_FRAME, 1000, 3L * MAX_FRAME);
        ChunkReader reader = new ChunkReader(limits);
        Recorder out = new Recorder();
        try {
            feed(reader, junk, cuts, out);
        } catch (CodecException e) {
            assertThat(e.getMessage()).startsWith("chunked framing: ");
            assertThatThrownBy(() -> reader.read(Unpooled.wrappedBuffer(new byte[1]), out))
                    .isInstanceOf(CodecException.class).hasMessageContaining("already failed");
        }
        assertThat(limits.bufferedBytes()).isBetween(0L, (long) MAX_FRAME);
        reader.close();
        assertThat(limits.bufferedBytes()).isZero();
    }

    /** Junk made of plausible records: right types, small lengths and ids, so that more of it parses. */
    @Property(tries = 2000)
    void anyPlausibleRecordsGiveMessagesOnlyWholeOrACodecException(@ForAll("recordish") byte[] wire) {
        DecodeLimits limits = DecodeLimits.of(MAX_FRAME, 1000, 3L * MAX_FRAME);
        ChunkReader reader = new ChunkReader(limits);
        List<Integer> delivered = new ArrayList<>();
        ChunkReader.Sink sink = new ChunkReader.Sink() {
            @Override
            public void stream(ByteBuffer bytes) {
            }

            @Override
            public void message(ByteBuffer frame) {
                delivered.add(frame.remaining());
            }
        };
        try {
            reader.read(Unpooled.wrappedBuffer(wire), sink);
            assertThat(reader.openMessages()).isBetween(0, ChunkFraming.MAX_PARTIALS);
        } catch (CodecException e) {
            assertThat(e.getMessage()).startsWith("chunked framing: ");
        }
        // every message handed on is one a BEGIN announced, at its full length
        List<Integer> announced = announcedTotals(wire);
        assertThat(announced).containsAll(delivered);
        assertThat(limits.bufferedBytes()).isBetween(0L, (long) MAX_FRAME);
        reader.close();
        assertThat(limits.bufferedBytes()).isZero();
    }

    @Example
    void aHostilePeerCannotOpenMoreMessagesThanTheCap() {
        ChunkReader reader = new ChunkReader(DecodeLimits.of(MAX_FRAME, 1000, 100L * MAX_FRAME));
        ByteBuf wire = Unpooled.buffer();
        for (int id = 0; id <= ChunkFraming.MAX_PARTIALS; id++) {
            begin(wire, id, 10, new byte[1]);
        }
        assertThatThrownBy(() -> reader.read(wire, new Recorder())).isInstanceOf(CodecException.class)
                .hasMessage("chunked framing: more than 4 messages in chunks at once");
    }

    @Example
    void openMessagesTogetherMayNotPassTheFrameLimit() {
        ChunkReader reader = new ChunkReader(DecodeLimits.of(MAX_FRAME, 1000, 100L * MAX_FRAME));
        ByteBuf wire = Unpooled.buffer();
        begin(wire, 1, MAX_FRAME - 10, new byte[0]);
        begin(wire, 2, 11, new byte[0]);
        assertThatThrownBy(() -> reader.read(wire, new Recorder())).isInstanceOf(CodecException.class)
                .hasMessageContaining("messages in chunks of 4097 bytes together; the frame limit is 4096 bytes");
    }

    @Example
    void aMessageOverTheFrameLimitOrTheBudgetFailsAtItsFirstChunk() {
        DecodeLimits limits = DecodeLimits.of(MAX_FRAME, 1000, 100);
        ByteBuf wire = Unpooled.buffer();
        begin(wire, 1, MAX_FRAME + 1, new byte[0]);
        assertThatThrownBy(() -> new ChunkReader(limits).read(wire, new Recorder()))
                .isInstanceOf(CodecException.class).hasMessageContaining("of 4097 bytes; the frame limit is 4096");
        ByteBuf wire2 = Unpooled.buffer();
        begin(wire2, 1, 101, new byte[0]);
        assertThatThrownBy(() -> new ChunkReader(limits).read(wire2, new Recorder()))
                .isInstanceOf(CodecException.class).hasMessageContaining("(decode_buffer_budget)");
        assertThat(limits.bufferedBytes()).isZero();
    }

    @Example
    void chunksOfUnknownMessagesOrPastTheEndAreRefused() {
        ByteBuf wire = Unpooled.buffer();
        more(wire, 7, new byte[3]);
        assertThatThrownBy(() -> new ChunkReader(DecodeLimits.of(MAX_FRAME)).read(wire, new Recorder()))
                .hasMessage("chunked framing: a chunk of message 7, which is not open");
        ByteBuf wire2 = Unpooled.buffer();
        begin(wire2, 7, 4, new byte[3]);
        more(wire2, 7, new byte[2]);
        assertThatThrownBy(() -> new ChunkReader(DecodeLimits.of(MAX_FRAME)).read(wire2, new Recorder()))
                .hasMessageContaining("a chunk of 2 bytes past the end of message 7 (3 of 4 bytes in)");
        ByteBuf wire3 = Unpooled.buffer().writeByte(9);
        assertThatThrownBy(() -> new ChunkReader(DecodeLimits.of(MAX_FRAME)).read(wire3, new Recorder()))
                .hasMessage("chunked framing: no record type 9");
    }

    private static void feed(ChunkReader reader, byte[] wire, List<Integer> cuts, ChunkReader.Sink sink) {
        int at = 0;
        for (int cut : cuts) {
            int end = Math.min(wire.length, at + cut);
            reader.read(Unpooled.wrappedBuffer(wire, at, end - at), sink);
            at = end;
        }
        // the rest as a composite of two pieces, to cover buffers of several NIO buffers
        int mid = at + (wire.length - at) / 2;
        ByteBuf rest = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(wire, at, mid - at),
                Unpooled.wrappedBuffer(wire, mid, wire.length - mid));
        reader.read(rest, sink);
    }

    private static void stream(ByteBuf wire, byte[] bytes) {
        wire.writeByte(ChunkFraming.STREAM).writeInt(bytes.length).writeBytes(bytes);
    }

    private static void begin(ByteBuf wire, int id, int total, byte[] bytes) {
        wire.writeByte(ChunkFraming.BEGIN).writeInt(bytes.length).writeInt(id).writeInt(total).writeBytes(bytes);
    }

    private static void more(ByteBuf wire, int id, byte[] bytes) {
        wire.writeByte(ChunkFraming.MORE).writeInt(bytes.length).writeInt(id).writeBytes(bytes);
    }

    /** The totals of the BEGIN records at record boundaries of {@code wire}, as far as it parses. */
    private static List<Integer> announcedTotals(byte[] wire) {
        List<Integer> totals = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(wire);
        while (b.remaining() >= 5) {
            byte type = b.get();
            long len = Integer.toUnsignedLong(b.getInt());
            if (type == ChunkFraming.BEGIN && b.remaining() >= 8) {
                b.getInt();
                totals.add(b.getInt());
            } else if (type == ChunkFraming.MORE && b.remaining() >= 4) {
                b.getInt();
            } else if (type != ChunkFraming.STREAM) {
                break;
            }
            if (len > b.remaining()) {
                break;
            }
            b.position(b.position() + (int) len);
        }
        return totals;
    }

    /**
     * Plans: up to 3 messages in flight at once (the reader allows 4), each cut into chunks of 1 to
     * 50 bytes, interleaved with stream records, in a random order that keeps each message's
     * chunks in order. The expected output: the stream bytes between messages, and each message
     * whole where its last chunk is.
     */
    @Provide
    Arbitrary<Plan> plans() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<List<byte[]>> messages = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300)
                .list().ofMaxSize(3);
        Arbitrary<List<byte[]>> streams = bytes.list().ofMaxSize(6);
        Arbitrary<Long> seeds = Arbitraries.longs();
        return Combinators.combine(messages, streams, seeds).as(ChunkReaderProperties::plan);
    }

    private static Plan plan(List<byte[]> messages, List<byte[]> streams, long seed) {
        java.util.Random r = new java.util.Random(seed);
        // the steps: each message's chunks, and the stream pieces, shuffled with every message's order kept
        List<int[]> steps = new ArrayList<>(); // {kind, index, from, len}: kind 0 stream, 1 chunk
        List<List<int[]>> chunks = new ArrayList<>();
        for (int m = 0; m < messages.size(); m++) {
            List<int[]> cs = new ArrayList<>();
            int total = messages.get(m).length;
            for (int from = 0; from < total; ) {
                int len = Math.min(total - from, 1 + r.nextInt(50));
                cs.add(new int[] {1, m, from, len});
                from += len;
            }
            chunks.add(cs);
        }
        int[] nextChunk = new int[messages.size()];
        int nextStream = 0;
        while (true) {
            List<Integer> choices = new ArrayList<>();
            for (int m = 0; m < messages.size(); m++) {
                if (nextChunk[m] < chunks.get(m).size()) {
                    choices.add(m);
                }
            }
            if (nextStream < streams.size()) {
                choices.add(-1);
            }
            if (choices.isEmpty()) {
                break;
            }
            int c = choices.get(r.nextInt(choices.size()));
            if (c < 0) {
                steps.add(new int[] {0, nextStream++, 0, 0});
            } else {
                steps.add(chunks.get(c).get(nextChunk[c]++));
            }
        }
        ByteBuf wire = Unpooled.buffer();
        List<String> expected = new ArrayList<>();
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        for (int[] s : steps) {
            if (s[0] == 0) {
                byte[] b = streams.get(s[1]);
                stream(wire, b);
                pending.writeBytes(b);
                continue;
            }
            byte[] msg = messages.get(s[1]);
            byte[] piece = Arrays.copyOfRange(msg, s[2], s[2] + s[3]);
            if (s[2] == 0) {
                begin(wire, 1000 + s[1], msg.length, piece);
            } else {
                more(wire, 1000 + s[1], piece);
            }
            if (s[2] + s[3] == msg.length) {
                if (pending.size() > 0) {
                    expected.add("s:" + hex(pending.toByteArray()));
                    pending.reset();
                }
                expected.add("m:" + hex(msg));
            }
        }
        if (pending.size() > 0) {
            expected.add("s:" + hex(pending.toByteArray()));
        }
        byte[] w = new byte[wire.readableBytes()];
        wire.readBytes(w);
        return new Plan(w, expected);
    }

    @Provide
    Arbitrary<byte[]> recordish() {
        Arbitrary<byte[]> record = Combinators.combine(Arbitraries.of(ChunkFraming.STREAM, ChunkFraming.BEGIN,
                        ChunkFraming.MORE, (byte) 3), Arbitraries.integers().between(0, 12),
                Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, MAX_FRAME + 2))
                .as((type, len, id, total) -> {
                    ByteBuf b = Unpooled.buffer();
                    b.writeByte(type).writeInt(len);
                    if (type == ChunkFraming.BEGIN || type == ChunkFraming.MORE) {
                        b.writeInt(id);
                    }
                    if (type == ChunkFraming.BEGIN) {
                        b.writeInt(total % 40);
                    }
                    b.writeZero(len);
                    byte[] out = new byte[b.readableBytes()];
                    b.readBytes(out);
                    return out;
                });
        return record.list().ofMaxSize(30).map(l -> {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            l.forEach(o::writeBytes);
            return o.toByteArray();
        });
    }
}
