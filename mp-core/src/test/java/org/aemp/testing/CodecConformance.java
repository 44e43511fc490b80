package org.aemp.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.aemp.spi.Codec;
import org.aemp.spi.CodecException;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.FrameDecoder;
import org.aemp.spi.FrameEncoder;
import org.aemp.spi.FrameTooLongException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The conformance suite every codec passes: discovery by name, a round trip of every value type,
 * decoding split at every chunk boundary, oversize rejection, and clear errors for bad input and
 * unsupported values. A codec module extends it and names its codec.
 */
public abstract class CodecConformance {

    /** The codec under test. */
    protected abstract Codec codec();

    /**
     * What a sent value decodes to with this codec. The default is the Perl-compatible mapping:
     * integers as the smallest of Integer/Long/BigInteger, other numbers as Double, byte[] as a
     * String of characters U+0000 to U+00FF, lists and maps element by element.
     */
    protected Object expected(Object sent) {
        return CodecSupport.perlView(sent);
    }

    @Test
    void serviceLoaderFindsTheCodecByName() {
        List<Codec> found = ServiceLoader.load(Codec.class, getClass().getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertThat(found).extracting(Codec::name).contains(codec().name());
    }

    @Test
    void everyValueTypeRoundTrips() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("k", "v");
        map.put("n", null);
        map.put("nested", List.of(1, Map.of("x", true)));
        List<Object> message = Arrays.asList("port", "tag", null, true, false, 0, -1, 42, Integer.MAX_VALUE,
                Long.MAX_VALUE, Long.MIN_VALUE, new BigInteger("18446744073709551615"), 3.5, -0.25, 1.0e300,
                "", "ascii", "latin-1 ü", "wide ☺ 𝄞", new byte[] {0, 1, (byte) 0xfc, (byte) 0xff},
                List.of(), List.of(1, "two", List.of(3.0)), Map.of(), map);
        assertThat(CodecSupport.comparable(decodeAll(encode(message))))
                .isEqualTo(CodecSupport.comparable(List.of(expected(message))));
    }

    @Test
    void decodingGivesTheSameMessagesWhereverTheStreamIsSplit() {
        List<List<Object>> messages = List.of(
                List.of("a", "ping", 1),
                List.of("", "g_slave", Map.of("'l", Map.of("alpha", List.of("127.0.0.1:14041")))),
                List.of("b", "unicode ☺", 3.5, List.of()));
        byte[] stream = encode(messages.toArray(new List<?>[0]));
        List<Object> want = new ArrayList<>();
        for (List<Object> m : messages) {
            want.add(expected(m));
        }
        for (int split = 0; split <= stream.length; split++) {
            FrameDecoder d = codec().newDecoder(DecodeLimits.of(1 << 20));
            List<Object> got = new ArrayList<>();
            d.decode(ByteBuffer.wrap(stream, 0, split), (m, n) -> got.add(m));
            d.decode(ByteBuffer.wrap(stream, split, stream.length - split), (m, n) -> got.add(m));
            assertThat(got).as("split at byte " + split).isEqualTo(want);
            assertThat(d.pending()).isZero();
        }
        FrameDecoder d = codec().newDecoder(DecodeLimits.of(1 << 20));
        List<Object> got = new ArrayList<>();
        for (byte b : stream) {
            d.decode(ByteBuffer.wrap(new byte[] {b}), (m, n) -> got.add(m));
        }
        assertThat(got).as("one byte at a time").isEqualTo(want);
    }

    @Test
    void aFrameOverTheLimitIsRejectedBeforeItIsBufferedWhole() {
        String big = "x".repeat(64 * 1024);
        byte[] stream = encode(List.of("p", big));
        FrameDecoder d = codec().newDecoder(DecodeLimits.of(16 * 1024));
        assertThatThrownBy(() -> {
            for (int off = 0; off < stream.length; off += 4096) {
                d.decode(ByteBuffer.wrap(stream, off, Math.min(4096, stream.length - off)), (m, n) -> { });
                assertThat(off).as("rejected before the last chunk").isLessThan(stream.length - 4096);
            }
        }).isInstanceOf(FrameTooLongException.class).hasMessageContaining(codec().name())
                .hasMessageContaining("16384");
    }

    @Test
    void garbageFailsWithACodecException() {
        for (byte[] junk : garbage()) {
            FrameDecoder d = codec().newDecoder(DecodeLimits.of(1 << 20));
            assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(junk), (m, n) -> { }))
                    .as(new String(junk, StandardCharsets.ISO_8859_1))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining(codec().name());
        }
    }

    @Test
    void eachMessageIsHandedOverWithItsEncodedLength() {
        List<List<?>> messages = List.of(List.of("a"), List.of("b", "x".repeat(300), 7), List.of("c", Map.of("k", 1)));
        List<Integer> lengths = new ArrayList<>();
        for (List<?> m : messages) {
            lengths.add(encode(m).length);
        }
        byte[] stream = encode(messages.toArray(new List<?>[0]));
        for (int step : new int[] {1, 7, stream.length}) {
            FrameDecoder d = codec().newDecoder(DecodeLimits.of(1 << 20));
            List<Integer> got = new ArrayList<>();
            for (int off = 0; off < stream.length; off += step) {
                d.decode(ByteBuffer.wrap(stream, off, Math.min(step, stream.length - off)), (m, n) -> got.add(n));
            }
            assertThat(got).as("step " + step).isEqualTo(lengths);
        }
    }

    @Test
    void everyValueCountsTowardsTheElementLimit() {
        List<Object> message = List.of("p", Map.of("k", List.of(1, "two")), List.of(), Map.of());
        long values = CodecSupport.elements(message); // 1 + "p" + map + k + list + 1 + "two" + [] + {} = 9
        assertThat(values).isEqualTo(9);
        byte[] frame = encode(message);
        List<List<Object>> got = new ArrayList<>();
        codec().newDecoder(DecodeLimits.of(1 << 20, (int) values, 1 << 20)).decode(ByteBuffer.wrap(frame),
                (m, n) -> got.add(m));
        assertThat(got).hasSize(1);
        FrameDecoder d = codec().newDecoder(DecodeLimits.of(1 << 20, (int) values - 1, 1 << 20));
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(frame), (m, n) -> { }))
                .isInstanceOf(CodecException.class)
                .hasMessage(codec().name() + ": a message of more than 8 values (limit max_frame_elements)");
    }

    @Test
    void aMessageOfManyEmptyMapsFailsAtTheElementLimitWhateverTheChunks() throws IOException {
        byte[] frame = BoundedMemoryCheck.frameOfEmptyMaps(codec(), 64 * 1024);
        byte[] stream = concat(encode(List.of("before")), frame);
        for (boolean direct : new boolean[] {false, true}) {
            DecodeLimits limits = DecodeLimits.of(1 << 20, 1000, 1 << 20);
            FrameDecoder d = codec().newDecoder(limits);
            List<List<Object>> got = new ArrayList<>();
            assertThatThrownBy(() -> {
                for (int off = 0; off < stream.length; off += 1000) {
                    int n = Math.min(1000, stream.length - off);
                    d.decode(direct ? ByteBuffer.allocateDirect(n).put(stream, off, n).flip()
                            : ByteBuffer.wrap(stream, off, n), (m, size) -> got.add(m));
                }
            }).isInstanceOf(CodecException.class)
                    .hasMessage(codec().name() + ": a message of more than 1000 values (limit max_frame_elements)");
            assertThat(got).as("the message before it").containsExactly(List.of("before"));
            assertThat(limits.bufferedBytes()).isZero();
            assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(encode(List.of("after"))), (m, n) -> { }))
                    .hasMessage(codec().name() + ": the stream already failed");
        }
    }

    /**
     * The defect this limit fixes: a peer sends one frame of 60 MiB of empty maps (JSON
     * {@code [{},{},...]}, 20 million maps), under the 64 MiB frame limit, to a node with a heap
     * of 512 MiB, which died of OutOfMemoryError building them. Run in a JVM of that size.
     */
    @Test
    @Timeout(120)
    void aFrameOf60MiBOfEmptyMapsFailsInAHeapOf512MiB() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(java, "-Xmx512m", "-cp", classPath, BoundedMemoryCheck.class.getName(),
                codec().getClass().getName()).redirectErrorStream(true).start();
        String output;
        try (InputStream in = child.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.waitFor()).as(output).isZero();
        assertThat(output).startsWith("ok ");
    }

    @Test
    void theBufferBudgetIsSharedByTheDecodersAndGivenBack() {
        DecodeLimits limits = DecodeLimits.of(1 << 20, 1000, 1 << 20);
        byte[] frame = encode(List.of("p", "x".repeat(800_000)));
        FrameDecoder first = codec().newDecoder(limits);
        FrameDecoder second = codec().newDecoder(limits);
        int part = 700_000;
        first.decode(ByteBuffer.allocateDirect(part).put(frame, 0, part).flip(), (m, n) -> { });
        assertThat(first.pending()).isEqualTo(part);
        assertThat(limits.bufferedBytes()).isPositive();
        assertThatThrownBy(() -> second.decode(ByteBuffer.allocateDirect(500_000).put(frame, 0, 500_000).flip(),
                (m, n) -> { }))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith(codec().name() + ": cannot hold ")
                .hasMessageContaining("budget is 1048576 bytes (decode_buffer_budget)");
        List<List<Object>> got = new ArrayList<>();
        first.decode(ByteBuffer.allocateDirect(frame.length - part).put(frame, part, frame.length - part).flip(),
                (m, n) -> got.add(m));
        assertThat(got).hasSize(1);
        assertThat(limits.bufferedBytes()).as("given back when the message is complete").isZero();

        FrameDecoder third = codec().newDecoder(limits);
        third.decode(ByteBuffer.wrap(frame, 0, part), (m, n) -> { });
        assertThat(limits.bufferedBytes()).isPositive();
        third.close();
        third.close();
        assertThat(limits.bufferedBytes()).as("given back at close").isZero();
        assertThatThrownBy(() -> third.decode(ByteBuffer.wrap(frame), (m, n) -> { }))
                .hasMessage(codec().name() + ": the decoder is closed");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Byte sequences that are invalid in this framing. */
    protected abstract List<byte[]> garbage();

    @Test
    void unsupportedValuesFailAtEncodeNamingTheType() {
        FrameEncoder e = codec().newEncoder();
        assertThatThrownBy(() -> e.encode(List.of("p", new Object()), new ByteArrayOutputStream()))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("java.lang.Object");
        assertThatThrownBy(() -> e.encode(List.of("p", Map.of(1, "int key")), new ByteArrayOutputStream()))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("key");
    }

    /** Encodes messages back to back with one encoder. */
    protected final byte[] encode(List<?>... messages) {
        FrameEncoder e = codec().newEncoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (List<?> m : messages) {
                e.encode(m, out);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** Decodes a whole stream with one decoder. */
    protected final List<List<Object>> decodeAll(byte[] stream) {
        List<List<Object>> out = new ArrayList<>();
        codec().newDecoder(DecodeLimits.of(1 << 24)).decode(ByteBuffer.wrap(stream), (m, n) -> out.add(m));
        return out;
    }
}
