package org.aemp.codec.cbor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.aemp.spi.Codec;
import org.aemp.spi.CodecException;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.FrameDecoder;
import org.aemp.spi.FrameEncoder;
import org.aemp.spi.FrameTooLongException;
import org.aemp.testing.CodecConformance;
import org.junit.jupiter.api.Test;

class CborCodecTest extends CodecConformance {
    private static final HexFormat HEX = HexFormat.of();
    private final CborCodec codec = new CborCodec();

    @Override
    protected Codec codec() {
        return codec;
    }

    @Override
    protected List<byte[]> garbage() {
        return List.of(
                hex("41 61"),             // a byte string, not an array
                hex("a0"),                // a map, not an array
                hex("f6"),                // null, not an array
                hex("ff"),                // a break at the top
                hex("81 1c"),             // reserved additional information
                hex("82 01 ff"),          // a break inside a definite array
                hex("81 1f"),             // an integer of indefinite length
                hex("81 62 ff fe"),       // a text string that is not UTF-8
                hex("81 f8 10"),          // a two-byte simple value below 32
                hex("81 f0"),             // an unassigned simple value
                hex("81 c2 61 31"),       // a bignum tag on a text string
                hex("81 5f 61 41 ff"),    // an indefinite byte string with a text chunk
                hex("81 a1 80 01"),       // an array as a map key
                hex("81 df"));            // a tag of indefinite length
    }

    @Test
    void writesTextStringsAndShortestIntegersAsCborXsReadsThem() {
        assertThat(HEX.formatHex(encode(List.of("b", "hello", 42)))).isEqualTo("836162656865" + "6c6c6f182a");
        assertThat(HEX.formatHex(encode(Arrays.asList("", "g_global", null, true, false, -1, -25, 255, 256, 65536,
                4294967296L, new byte[] {(byte) 0xfc}))))
                .isEqualTo("8c" + "60" + "68675f676c6f62616c" + "f6f5f4" + "20" + "3818" + "18ff" + "190100"
                        + "1a00010000" + "1b0000000100000000" + "41fc");
    }

    @Test
    void writesFloatsAsFloat32WhenExactAsCborXsDoes() {
        // Perl's own bytes for 0.5, -0.001, 1.1, 1e300 (the "floats" vector)
        assertThat(HEX.formatHex(encode(List.of("p", 0.5, -0.001, 1.1, 1e300))))
                .endsWith("fa3f000000fbbf50624dd2f1a9fcfb3ff199999999999afb7e37e43c8800759c");
        assertThat(HEX.formatHex(encode(List.of(3.5, 0.1f, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
                new BigDecimal("2.5")))))
                .isEqualTo("86" + "fa40600000" + "fa3dcccccd" + "fa80000000" + "fa7fc00000" + "fa7f800000" + "fa40200000");
    }

    @Test
    void nanAndInfinitiesRoundTrip() {
        List<Object> got = decodeAll(encode(List.of(Double.NaN, Double.NEGATIVE_INFINITY, -0.0))).get(0);
        assertThat(got).containsExactly(Double.NaN, Double.NEGATIVE_INFINITY, -0.0);
    }

    @Test
    void writesIntegersWithin64BitsPlainAndBeyondAsBignums() {
        BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        assertThat(HEX.formatHex(encode(List.of(two64.subtract(BigInteger.ONE), two64.negate(), two64,
                two64.negate().subtract(BigInteger.ONE), BigInteger.valueOf(-5)))))
                .isEqualTo("85" + "1bffffffffffffffff" + "3bffffffffffffffff" + "c249010000000000000000"
                        + "c349010000000000000000" + "24");
        BigInteger huge = BigInteger.TEN.pow(40).negate();
        assertThat(decodeAll(encode(List.of(two64, huge, two64.negate().subtract(BigInteger.ONE)))).get(0))
                .containsExactly(two64, huge, two64.negate().subtract(BigInteger.ONE));
    }

    @Test
    void writesOtherNumbersByTheirValue() {
        assertThat(decodeAll(encode(List.of(new AtomicLong(7), (short) -3, (byte) 9))).get(0)).containsExactly(7, -3, 9);
    }

    @Test
    void refusesALoneSurrogateNamingIt() {
        assertThatThrownBy(() -> encode(List.of("p", "a\ud800b")))
                .isInstanceOf(CodecException.class).hasMessageContaining("cbor").hasMessageContaining("U+D800");
        assertThatThrownBy(() -> encode(List.of("p", "\udc00")))
                .isInstanceOf(CodecException.class).hasMessageContaining("lone surrogate");
    }

    @Test
    void refusesNullKeysAndDeepNesting() {
        Map<String, Object> nullKey = new LinkedHashMap<>();
        nullKey.put(null, 1);
        assertThatThrownBy(() -> encode(List.of("p", nullKey)))
                .isInstanceOf(CodecException.class).hasMessageContaining("map key of type null");
        Object deep = List.of();
        for (int i = 0; i < 600; i++) {
            deep = List.of(deep);
        }
        Object tooDeep = deep;
        assertThatThrownBy(() -> encode(List.of("p", tooDeep)))
                .isInstanceOf(CodecException.class).hasMessageContaining("nested");
    }

    @Test
    void aFailedEncodeWritesNothing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> codec.newEncoder().encode(List.of("p", "fine", new Object()), out))
                .isInstanceOf(CodecException.class);
        assertThat(out.size()).isZero();
    }

    @Test
    void readsByteStringsAsLatin1AndTextStringsAsUtf8() {
        assertThat(decode("83 41 fc 63 e298ba 62 c3bc")).containsExactly("ü", "☺", "ü");
    }

    @Test
    void readsByteStringsAsMapKeys() {
        assertThat(decode("82 a2 41 fc 01 42 276c 02 a1 62 c3bc 03"))
                .containsExactly(Map.of("ü", 1, "'l", 2), Map.of("ü", 3));
    }

    @Test
    void turnsOtherMapKeysIntoTheirTextAsPerlDoes() {
        Map<String, Object> got = asMap(decode("81 a6 07 6161 20 6162 fa40600000 6163 f5 6164 f4 6165 f6 6166").get(0));
        assertThat(got).containsExactly(Map.entry("7", "a"), Map.entry("-1", "b"), Map.entry("3.5", "c"),
                Map.entry("1", "d"), Map.entry("0", "e"), Map.entry("", "f"));
        assertThat(CborReader.perlNumber(1e300)).isEqualTo("1e+300");
        assertThat(CborReader.perlNumber(0.1)).isEqualTo("0.1");
        assertThat(CborReader.perlNumber(9007199254740992.0)).isEqualTo("9.00719925474099e+15");
        assertThat(CborReader.perlNumber(2.0)).isEqualTo("2");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    @Test
    void readsIntegersAsTheSmallestType() {
        List<Object> m = decode("88 17 1a7fffffff 1a80000000 1bffffffffffffffff 3a7fffffff 3a80000000"
                + " 3bffffffffffffffff 3b7fffffffffffffff");
        assertThat(m).containsExactly(23, Integer.MAX_VALUE, 2147483648L, new BigInteger("18446744073709551615"),
                Integer.MIN_VALUE, -2147483649L, new BigInteger("-18446744073709551616"), Long.MIN_VALUE);
        assertThat(m.get(3)).isInstanceOf(BigInteger.class);
    }

    @Test
    void readsHalfSingleAndDoubleFloatsAsDouble() {
        assertThat(decode("87 f93c00 f9c000 f90001 f97c00 f97e00 fa40600000 fb3ff199999999999a"))
                .containsExactly(1.0, -2.0, 5.960464477539063e-8, Double.POSITIVE_INFINITY, Double.NaN, 3.5, 1.1);
    }

    @Test
    void readsUndefinedAsNull() {
        assertThat(decode("82 f7 f6")).containsExactly(null, null);
    }

    @Test
    void readsBignumTagsAsIntegersAndIgnoresOtherTags() {
        assertThat(decode("85 c249010000000000000000 c349010000000000000000 c24105 c0 63 616263 d95652 82 01 02"))
                .containsExactly(BigInteger.ONE.shiftLeft(64), BigInteger.ONE.shiftLeft(64).negate().subtract(BigInteger.ONE),
                        5, "abc", List.of(1, 2));
        assertThat(decode("d9d9f7 81 01")).as("a tagged message array").containsExactly(1);
    }

    @Test
    void readsIndefiniteLengths() {
        assertThat(decode("9f 01 5f 41 61 41 62 ff 7f 61 63 62 c3bc ff bf 41 6b 9f ff ff ff"))
                .containsExactly(1, "ab", "cü", Map.of("k", List.of()));
    }

    @Test
    void aDeclaredLengthOverTheLimitFailsAtOnce() {
        for (String head : List.of("81 5a 40000000", "81 7b ffffffffffffffff", "9a 40000000", "81 bb 0000000100000000",
                "82 01 59 ffff")) {
            FrameDecoder d = codec.newDecoder(DecodeLimits.of(1 << 12));
            assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(hex(head)), (m, n) -> { }))
                    .as(head)
                    .isInstanceOf(FrameTooLongException.class)
                    .hasMessageContaining("cbor")
                    .hasMessageContaining("4096");
        }
    }

    @Test
    void aMessageExactlyAtTheLimitIsAccepted() {
        byte[] frame = encode(List.of("x".repeat(100)));
        List<List<Object>> got = new ArrayList<>();
        codec.newDecoder(DecodeLimits.of(frame.length)).decode(ByteBuffer.wrap(frame), (m, n) -> got.add(m));
        assertThat(got).hasSize(1);
        assertThatThrownBy(() -> codec.newDecoder(DecodeLimits.of(frame.length - 1)).decode(ByteBuffer.wrap(frame),
                (m, n) -> { }))
                .isInstanceOf(FrameTooLongException.class);
    }

    @Test
    void decodesFromDirectBuffersSplitAnywhere() {
        byte[] stream = encode(List.of("a", 1), List.of("b", "x".repeat(40_000), Map.of("k", 2.5)), List.of());
        for (int step : new int[] {1, 7, 1000, 16_385, stream.length}) {
            FrameDecoder d = codec.newDecoder(DecodeLimits.of(1 << 20));
            List<List<Object>> got = new ArrayList<>();
            for (int off = 0; off < stream.length; off += step) {
                int n = Math.min(step, stream.length - off);
                ByteBuffer direct = ByteBuffer.allocateDirect(n).put(stream, off, n).flip();
                d.decode(direct, (m, size) -> got.add(m));
                assertThat(direct.hasRemaining()).isFalse();
            }
            assertThat(got).as("step " + step).containsExactly(List.of("a", 1),
                    List.of("b", "x".repeat(40_000), Map.of("k", 2.5)), List.of());
            assertThat(d.pending()).isZero();
        }
    }

    @Test
    void holdsOnlyTheIncompleteMessage() {
        byte[] stream = encode(List.of("a", 1), List.of("b", "long enough"));
        FrameDecoder d = codec.newDecoder(DecodeLimits.of(1024));
        List<List<Object>> got = new ArrayList<>();
        d.decode(ByteBuffer.wrap(stream, 0, stream.length - 3), (m, n) -> got.add(m));
        assertThat(got).containsExactly(List.of("a", 1));
        assertThat(d.pending()).isEqualTo(stream.length - 3 - 4);
    }

    @Test
    void aTopLevelValueThatIsNotAnArrayIsAnError() {
        FrameDecoder d = codec.newDecoder(DecodeLimits.of(1024));
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(hex("81 01 63 616263")), (m, n) -> { }))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("expected a message array, got a text string");
    }

    @Test
    void nestingBeyondTheLimitIsAnError() {
        byte[] deep = new byte[600];
        Arrays.fill(deep, (byte) 0x81);
        assertThatThrownBy(() -> codec.newDecoder(DecodeLimits.of(1024)).decode(ByteBuffer.wrap(deep), (m, n) -> { }))
                .isInstanceOf(CodecException.class).hasMessageContaining("nested more than 512");
    }

    @Test
    void aDecoderThatFailedStaysFailed() {
        FrameDecoder d = codec.newDecoder(DecodeLimits.of(1024));
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(hex("ff")), (m, n) -> { }))
                .isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(hex("81 01")), (m, n) -> { }))
                .isInstanceOf(CodecException.class).hasMessageContaining("already failed");
    }

    @Test
    void aConsumerExceptionIsNotACodecFailure() {
        FrameDecoder d = codec.newDecoder(DecodeLimits.of(1024));
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(hex("81 01")), (m, n) -> {
            throw new IllegalStateException("receiver");
        })).isExactlyInstanceOf(IllegalStateException.class);
        List<List<Object>> got = new ArrayList<>();
        d.decode(ByteBuffer.wrap(hex("81 02")), (m, n) -> got.add(m));
        assertThat(got).containsExactly(List.of(2));
    }

    @Test
    void reportsItsNameAndRank() {
        assertThat(codec.name()).isEqualTo("cbor");
        assertThat(codec.preference()).isEqualTo(10);
        assertThat(codec.perlCompatible()).isTrue();
        assertThat(codec.canEncode(Object.class)).isFalse();
        assertThatThrownBy(() -> codec.newDecoder(null)).isInstanceOf(NullPointerException.class).hasMessage("limits");
    }

    @Test
    void aDeclaredCountOverTheElementLimitFailsAtItsHeadBeforeAnythingIsHeld() {
        // 2^31 items fail the frame limit (each takes a byte); two million fail the element limit at once
        for (String head : List.of("9a 80000000", "82 01 9a 001e8480", "82 01 ba 000f4240", "9f 01 ba 000f4240")) {
            FrameDecoder d = codec.newDecoder(DecodeLimits.of(64 << 20));
            assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(hex(head)), (m, n) -> { })).as(head)
                    .isInstanceOf(CodecException.class)
                    .hasMessageMatching("cbor: (message of at least \\d+ bytes exceeds the frame limit of"
                            + " 67108864 bytes|a message of more than 1000000 values \\(limit max_frame_elements\\))");
            assertThat(d.pending()).isZero();
        }
    }

    @Test
    void theScannerCountsValuesAsTheReaderDoes() {
        // an indefinite array of 5 empty maps, a tag, an indefinite string of two chunks, a map of one entry
        byte[] frame = hex("9f a0 a0 a0 a0 a0 c0 7f 61 61 61 62 ff a1 01 02 ff");
        assertThat(codec.newDecoder(DecodeLimits.of(1024, 10, 1024)).pending()).isZero();
        List<List<Object>> got = new ArrayList<>();
        codec.newDecoder(DecodeLimits.of(1024, 10, 1024)).decode(ByteBuffer.wrap(frame), (m, n) -> got.add(m));
        assertThat(got).hasSize(1); // 1 + 5 maps + "ab" + map + key + value = 10
        for (int split = 0; split <= frame.length; split++) {
            FrameDecoder d = codec.newDecoder(DecodeLimits.of(1024, 9, 1024));
            int at = split;
            assertThatThrownBy(() -> {
                d.decode(ByteBuffer.wrap(frame, 0, at), (m, n) -> { });
                d.decode(ByteBuffer.wrap(frame, at, frame.length - at), (m, n) -> { });
            }).hasMessage("cbor: a message of more than 9 values (limit max_frame_elements)");
        }
    }

    @Test
    void aLongIndefiniteArrayOfEmptyMapsFailsBeforeItIsHeldWhole() {
        byte[] stream = new byte[4 << 20];
        Arrays.fill(stream, (byte) 0xa0);
        stream[0] = (byte) 0x9f;
        DecodeLimits limits = DecodeLimits.of(64 << 20);
        FrameDecoder d = codec.newDecoder(limits);
        int[] fed = {0};
        assertThatThrownBy(() -> {
            for (int off = 0; off < stream.length; off += 65536) {
                d.decode(ByteBuffer.allocateDirect(65536).put(stream, off, 65536).flip(), (m, n) -> { });
                fed[0] = off + 65536;
            }
        }).hasMessage("cbor: a message of more than 1000000 values (limit max_frame_elements)");
        assertThat(fed[0]).as("failed after about 1 MB").isLessThan(1_100_000);
        assertThat(limits.bufferedBytes()).isZero();
    }

    /** A bignum tag {@code tag} over a definite byte string of {@code n} bytes 0x01. */
    private static String bignum(int tag, int n) {
        return (tag == 2 ? "c2" : "c3") + " 59 " + String.format("%04x", n) + " " + "01".repeat(n);
    }

    @Test
    void bignumsAreLimitedTo1024BytesAlsoAsMapKeys() {
        assertThat(decode("82 " + bignum(2, 1024) + bignum(3, 1024)).get(0)).isEqualTo(
                new BigInteger(1, hex("01".repeat(1024))));
        Map<String, Object> keyed = asMap(decode("81 a1 " + bignum(2, 1024) + " 01").get(0));
        assertThat(keyed).containsOnlyKeys(new BigInteger(1, hex("01".repeat(1024))).toString());
        for (String tooLong : List.of("81 " + bignum(2, 1025), "81 " + bignum(3, 1025), "81 a1 " + bignum(2, 1025) + " 01",
                "81 c2 5f 59 0300 " + "01".repeat(768) + " 59 0101 " + "01".repeat(257) + " ff")) {
            FrameDecoder d = codec.newDecoder(DecodeLimits.of(1 << 20));
            assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(hex(tooLong)), (m, n) -> { }))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("a bignum of 1025 bytes is longer than the limit of 1024 bytes");
        }
    }

    @Test
    void theEncoderRefusesABignumTheDecoderWouldRefuse() {
        BigInteger max = BigInteger.ONE.shiftLeft(8192).subtract(BigInteger.ONE);
        assertThat(decodeAll(encode(List.of(max, max.negate()))).get(0)).containsExactly(max, max.negate());
        assertThatThrownBy(() -> encode(List.of(max.add(BigInteger.ONE)))).isInstanceOf(CodecException.class)
                .hasMessageContaining("8193 bits").hasMessageContaining("1024 bytes");
    }

    @Test
    void writesAnIntegralBigDecimalExactlyAsAnInteger() {
        BigInteger twoTo53Plus1 = BigInteger.ONE.shiftLeft(53).add(BigInteger.ONE);
        BigInteger tenTo400 = BigInteger.TEN.pow(400);
        assertThat(decodeAll(encode(List.of(new BigDecimal(twoTo53Plus1), new BigDecimal("1E+400"),
                new BigDecimal("-2.50E+3"), new BigDecimal("7.000"), new BigDecimal("0E-5"), new BigDecimal("0.25"))))
                .get(0)).containsExactly(9007199254740993L, tenTo400, -2500, 7, 0, 0.25);
        assertThat(HEX.formatHex(encode(List.of(new BigDecimal("1E+20")))))
                .isEqualTo("81" + "c2" + "49" + "056bc75e2d63100000");
    }

    @Test
    void refusesABigDecimalThatIsNeitherAnIntegerNorADouble() {
        BigDecimal hugeFraction = new BigDecimal(BigInteger.TEN.pow(400)).add(new BigDecimal("0.5"));
        assertThatThrownBy(() -> encode(List.of(hugeFraction))).isInstanceOf(CodecException.class)
                .hasMessageContaining("not an integer and too large for a double")
                .hasMessageContaining("402 digits with scale 1");
        assertThatThrownBy(() -> encode(List.of(new BigDecimal("1E+2467")))).isInstanceOf(CodecException.class)
                .hasMessageContaining("1E+2467").hasMessageContaining("too large");
        assertThatThrownBy(() -> encode(List.of(new BigDecimal("1E+999999999")))).isInstanceOf(CodecException.class)
                .hasMessageContaining("too large");
    }

    /** A list nested {@code levels} deep, the message array included: {@code [[[1]]]} is 3. */
    private static List<Object> nested(int levels) {
        List<Object> list = List.of(1);
        for (int i = 1; i < levels; i++) {
            list = List.of(list);
        }
        return list;
    }

    @Test
    void encoderAndDecoderBothAllow512LevelsOfNestingAndNoMore() {
        assertThat(decodeAll(encode(nested(512)))).containsExactly(nested(512));
        List<Object> mapInside = List.of(Map.of("k", nested(510)));
        assertThat(decodeAll(encode(mapInside))).containsExactly(mapInside);
        assertThatThrownBy(() -> encode(nested(513))).isInstanceOf(CodecException.class)
                .hasMessageContaining("nested more than 512 levels");
        assertThatThrownBy(() -> encode(List.of(Map.of("k", nested(511))))).isInstanceOf(CodecException.class);
        byte[] deep = new byte[514]; // 513 arrays around a 1
        Arrays.fill(deep, (byte) 0x81);
        deep[513] = 0x01;
        assertThatThrownBy(() -> decodeAll(deep)).isInstanceOf(CodecException.class)
                .hasMessageContaining("nested more than 512");
        assertThat(decodeAll(Arrays.copyOfRange(deep, 1, 514))).containsExactly(nested(512));
    }

    @Test
    void aMessageChangedWhileItIsEncodedFailsWithACodecExceptionAndTheEncoderStaysUsable() throws IOException {
        List<Object> modified = new AbstractList<>() {
            @Override
            public Object get(int index) {
                return "p";
            }

            @Override
            public int size() {
                return 2;
            }

            @Override
            public Iterator<Object> iterator() {
                throw new ConcurrentModificationException();
            }
        };
        FrameEncoder e = codec.newEncoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> e.encode(List.of("p", modified), out)).isInstanceOf(CodecException.class)
                .hasMessageStartingWith("cbor: cannot encode").hasCauseInstanceOf(ConcurrentModificationException.class);
        e.encode(List.of("ok"), out);
        assertThat(decodeAll(out.toByteArray())).containsExactly(List.of("ok"));
    }

    @Test
    void messagesBeforeBadBytesInTheSameChunkAreDeliveredThenItThrows() {
        byte[] stream = hex("81 62 6f6b 81 02 01");
        for (boolean direct : new boolean[] {false, true}) {
            FrameDecoder d = codec.newDecoder(DecodeLimits.of(1024));
            ByteBuffer chunk = direct ? ByteBuffer.allocateDirect(stream.length).put(stream).flip() : ByteBuffer.wrap(stream);
            List<List<Object>> got = new ArrayList<>();
            assertThatThrownBy(() -> d.decode(chunk, (m, n) -> got.add(m))).as("direct " + direct)
                    .isInstanceOf(CodecException.class).hasMessageContaining("expected a message array");
            assertThat(got).as("direct " + direct).containsExactly(List.of("ok"), List.of(2));
        }
    }

    private List<Object> decode(String hex) {
        List<List<Object>> got = decodeAll(hex(hex));
        assertThat(got).hasSize(1);
        return got.get(0);
    }

    static byte[] hex(String spaced) {
        return HEX.parseHex(spaced.replace(" ", ""));
    }

    static byte[] encodeOne(Codec codec, List<?> message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            codec.newEncoder().encode(message, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
