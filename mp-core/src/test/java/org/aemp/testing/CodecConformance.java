package org.aemp.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aemp.internal.Providers;
import org.aemp.spi.Codec;
import org.aemp.spi.CodecException;
import org.aemp.spi.FrameDecoder;
import org.aemp.spi.FrameEncoder;
import org.aemp.spi.FrameTooLongException;
import org.junit.jupiter.api.Test;

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
        List<Codec> found = Providers.load(Codec.class, getClass().getClassLoader());
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
            FrameDecoder d = codec().newDecoder(1 << 20);
            List<Object> got = new ArrayList<>();
            d.decode(ByteBuffer.wrap(stream, 0, split), got::add);
            d.decode(ByteBuffer.wrap(stream, split, stream.length - split), got::add);
            assertThat(got).as("split at byte " + split).isEqualTo(want);
            assertThat(d.pending()).isZero();
        }
        FrameDecoder d = codec().newDecoder(1 << 20);
        List<Object> got = new ArrayList<>();
        for (byte b : stream) {
            d.decode(ByteBuffer.wrap(new byte[] {b}), got::add);
        }
        assertThat(got).as("one byte at a time").isEqualTo(want);
    }

    @Test
    void aFrameOverTheLimitIsRejectedBeforeItIsBufferedWhole() {
        String big = "x".repeat(64 * 1024);
        byte[] stream = encode(List.of("p", big));
        FrameDecoder d = codec().newDecoder(16 * 1024);
        assertThatThrownBy(() -> {
            for (int off = 0; off < stream.length; off += 4096) {
                d.decode(ByteBuffer.wrap(stream, off, Math.min(4096, stream.length - off)), m -> { });
                assertThat(off).as("rejected before the last chunk").isLessThan(stream.length - 4096);
            }
        }).isInstanceOf(FrameTooLongException.class).hasMessageContaining(codec().name())
                .hasMessageContaining("16384");
    }

    @Test
    void garbageFailsWithACodecException() {
        for (byte[] junk : garbage()) {
            FrameDecoder d = codec().newDecoder(1 << 20);
            assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(junk), m -> { }))
                    .as(new String(junk, StandardCharsets.ISO_8859_1))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining(codec().name());
        }
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
        codec().newDecoder(1 << 24).decode(ByteBuffer.wrap(stream), out::add);
        return out;
    }
}
