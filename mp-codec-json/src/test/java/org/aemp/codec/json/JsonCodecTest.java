package org.aemp.codec.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import org.aemp.spi.Codec;
import org.aemp.spi.CodecException;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.FrameDecoder;
import org.aemp.spi.FrameEncoder;
import org.aemp.spi.FrameTooLongException;
import org.aemp.testing.CodecConformance;
import org.junit.jupiter.api.Test;

class JsonCodecTest extends CodecConformance {
    private final JsonCodec codec = new JsonCodec();

    @Override
    protected Codec codec() {
        return codec;
    }

    @Override
    protected List<byte[]> garbage() {
        return List.of(bytes("{\"a\":1}"), bytes("42 "), bytes("[1,]"), bytes("[\"unterminated\" 1]"),
                bytes("]"), new byte[] {'[', '"', (byte) 0xff, '"', ']'}, bytes("[nan]"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<List<Object>> decode(String text) {
        List<List<Object>> out = new ArrayList<>();
        codec.newDecoder(DecodeLimits.of(1 << 20)).decode(ByteBuffer.wrap(bytes(text)), (m, n) -> out.add(m));
        return out;
    }

    @Test
    void writesMessagesBackToBackWithNoSeparatorAsPerlDoes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var e = codec.newEncoder();
        e.encode(List.of("", "g_slave"), out);
        e.encode(List.of("", "g_find", "echo"), out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("[\"\",\"g_slave\"][\"\",\"g_find\",\"echo\"]");
    }

    @Test
    void acceptsWhitespaceBetweenMessages() {
        assertThat(decode(" [\"a\"]\n\t[\"b\"] ")).containsExactly(List.of("a"), List.of("b"));
    }

    @Test
    void keepsPerlsNumbersAsStringsAndPerlBooleansAsTheyCame() {
        assertThat(decode("[\"x5dSqUXvpb\",\"echo\",\"hello\",\"42\"][\"r\",\"1\",\"\",true,false]"))
                .containsExactly(List.of("x5dSqUXvpb", "echo", "hello", "42"), List.of("r", "1", "", true, false));
    }

    @Test
    void decodesIntegersToTheSmallestTypeAndOtherNumbersToDouble() {
        List<Object> m = decode("[1,4294967296,18446744073709551615,3.5,9.00719925474099e+15]").get(0);
        assertThat(m.get(0)).isEqualTo(1);
        assertThat(m.get(1)).isEqualTo(4294967296L);
        assertThat(m.get(2)).isEqualTo(new java.math.BigInteger("18446744073709551615"));
        assertThat(m.get(3)).isEqualTo(3.5);
        assertThat(m.get(4)).isEqualTo(9.00719925474099e15);
    }

    @Test
    void refusesToWriteWhatPerlCannotRead() {
        assertThatThrownBy(() -> codec.newEncoder().encode(List.of("p", Double.NaN), new ByteArrayOutputStream()))
                .isInstanceOf(CodecException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> codec.newEncoder().encode(List.of("p", Double.POSITIVE_INFINITY),
                new ByteArrayOutputStream())).isInstanceOf(CodecException.class);
    }

    @Test
    void aTopLevelValueThatIsNotAnArrayIsAnError() {
        FrameDecoder d = codec.newDecoder(DecodeLimits.of(1024));
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(bytes("[\"ok\"]\"scalar\"")), (m, n) -> { }))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("expected a message array");
    }

    @Test
    void aDecoderThatFailedStaysFailed() {
        FrameDecoder d = codec.newDecoder(DecodeLimits.of(1024));
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(bytes("[}")), (m, n) -> { }))
                .isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(bytes("[1]")), (m, n) -> { }))
                .isInstanceOf(CodecException.class).hasMessage("json: the stream already failed");
    }

    @Test
    void aMessageOverTheLimitIsRejectedAlsoWhenItArrivesInOneChunk() {
        FrameDecoder d = codec.newDecoder(DecodeLimits.of(1024));
        String big = "[\"p\"" + ",\"xx\"".repeat(300) + "]"; // 1.5 KiB of short strings
        List<List<Object>> got = new ArrayList<>();
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(bytes("[\"ok\"]" + big)), (m, n) -> got.add(m)))
                .isInstanceOf(FrameTooLongException.class)
                .hasMessageStartingWith("json: message of at least 150")
                .hasMessageEndingWith(" bytes exceeds the frame limit of 1024 bytes");
        assertThat(got).containsExactly(List.of("ok"));
    }

    private String encodeText(List<?>... messages) {
        return new String(encode(messages), StandardCharsets.UTF_8);
    }

    private static DoubleAdder adder(double value) {
        DoubleAdder a = new DoubleAdder();
        a.add(value);
        return a;
    }

    /** A list nested {@code levels} deep, the message array included: {@code [[["p"]]]} is 3. */
    static List<Object> nested(int levels) {
        List<Object> list = List.of("p");
        for (int i = 1; i < levels; i++) {
            list = List.of(list);
        }
        return list;
    }

    @Test
    void writesAFloatAsItsOwnShortestTextNotAsTheWiderDouble() {
        assertThat(encodeText(List.of("p", 0.1f, 1.0e10f, -2.5f))).isEqualTo("[\"p\",0.1,1.0E10,-2.5]");
        assertThatThrownBy(() -> encode(List.of("p", Float.NaN))).isInstanceOf(CodecException.class)
                .hasMessageContaining("NaN");
    }

    @Test
    void otherNumbersAreWrittenOnlyIfTheirTextIsANumber() {
        assertThat(encodeText(List.of("p", new AtomicLong(7), adder(2.5), adder(-1e300), new BigDecimal("1E+3"),
                BigInteger.TEN.pow(30))))
                .isEqualTo("[\"p\",7,2.5,-1.0E+300,1E+3,1000000000000000000000000000000]");
        assertThatThrownBy(() -> encode(List.of("p", adder(Double.NaN)))).isInstanceOf(CodecException.class)
                .hasMessageContaining("java.util.concurrent.atomic.DoubleAdder NaN");
        assertThatThrownBy(() -> encode(List.of("p", adder(Double.NEGATIVE_INFINITY))))
                .isInstanceOf(CodecException.class).hasMessageContaining("-Infinity");
        Number hex = new Number() {
            @Override public int intValue() { return 16; }
            @Override public long longValue() { return 16; }
            @Override public float floatValue() { return 16; }
            @Override public double doubleValue() { return 16; }
            @Override public String toString() { return "0x10"; }
        };
        assertThatThrownBy(() -> encode(List.of("p", hex))).isInstanceOf(CodecException.class)
                .hasMessageContaining("0x10");
    }

    @Test
    void encoderAndDecoderBothAllow512LevelsOfNestingAndNoMore() {
        assertThat(decodeAll(encode(nested(512)))).containsExactly(nested(512));
        assertThatThrownBy(() -> encode(nested(513))).isInstanceOf(CodecException.class)
                .hasMessageContaining("nested more than 512 levels");
        List<Object> mapInside = List.of(Map.of("k", nested(510))); // 1 + 1 + 510 levels
        assertThat(decodeAll(encode(mapInside))).containsExactly(mapInside);
        assertThatThrownBy(() -> encode(List.of(Map.of("k", nested(511))))).isInstanceOf(CodecException.class);
        String deep = "[".repeat(513) + "]".repeat(513);
        assertThatThrownBy(() -> decode(deep)).isInstanceOf(CodecException.class).hasMessageContaining("512");
        assertThat(decode("[".repeat(512) + "]".repeat(512))).hasSize(1);
    }

    @Test
    void aMessageChangedWhileItIsEncodedFailsWithACodecException() {
        List<Object> shrinking = new AbstractList<>() {
            @Override
            public Object get(int index) {
                if (index > 0) {
                    throw new IndexOutOfBoundsException("Index " + index + " out of bounds for length 1");
                }
                return "p";
            }

            @Override
            public int size() {
                return 2;
            }
        };
        assertThatThrownBy(() -> encode(shrinking)).isInstanceOf(CodecException.class)
                .hasMessageStartingWith("json: cannot encode").hasCauseInstanceOf(IndexOutOfBoundsException.class);
        Map<String, Object> modified = new AbstractMap<>() {
            @Override
            public Set<Entry<String, Object>> entrySet() {
                return new java.util.AbstractSet<>() {
                    @Override
                    public Iterator<Entry<String, Object>> iterator() {
                        throw new ConcurrentModificationException();
                    }

                    @Override
                    public int size() {
                        return 1;
                    }
                };
            }
        };
        assertThatThrownBy(() -> encode(List.of("p", modified))).isInstanceOf(CodecException.class)
                .hasCauseInstanceOf(ConcurrentModificationException.class);
    }

    @Test
    void afterAFailedEncodeTheEncoderWritesTheNextMessageCleanly() throws Exception {
        FrameEncoder e = codec.newEncoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> e.encode(List.of("p", List.of(1, Map.of("k", new Object()))), out))
                .isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> e.encode(List.of("p", "x".repeat(20_000), Double.NaN), out))
                .isInstanceOf(CodecException.class);
        assertThat(out.size()).as("a failed encode writes nothing").isZero();
        e.encode(List.of("ok", 1), out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("[\"ok\",1]");
        assertThat(decodeAll(out.toByteArray())).containsExactly(List.of("ok", 1));
    }

    @Test
    void theScannerSeesNoBracketInAStringAndNoQuoteAfterABackslash() {
        byte[] stream = bytes("[\"]\\\"[\", \"\\\\\", \"}{\", {\"[\": \"]\"}]\n[\"\\\\\\\"\"]");
        List<List<Object>> want = List.of(List.of("]\"[", "\\", "}{", Map.of("[", "]")), List.of("\\\""));
        for (int split = 0; split <= stream.length; split++) {
            FrameDecoder d = codec.newDecoder(DecodeLimits.of(1024));
            List<List<Object>> got = new ArrayList<>();
            d.decode(ByteBuffer.wrap(stream, 0, split), (m, n) -> got.add(m));
            d.decode(ByteBuffer.wrap(stream, split, stream.length - split), (m, n) -> got.add(m));
            assertThat(got).as("split at " + split).isEqualTo(want);
        }
    }

    @Test
    void aFrameOfEmptyMapsFailsAfterAFewMegabytesNotAtItsEnd() {
        byte[] stream = bytes("[\"p\"" + ",{}".repeat(3_000_000) + "]");
        DecodeLimits limits = DecodeLimits.of(64 << 20);
        FrameDecoder d = codec.newDecoder(limits);
        int[] fed = {0};
        assertThatThrownBy(() -> {
            for (int off = 0; off < stream.length; off += 65536) {
                int n = Math.min(65536, stream.length - off);
                d.decode(ByteBuffer.allocateDirect(n).put(stream, off, n).flip(), (m, size) -> { });
                fed[0] = off + n;
            }
        }).hasMessage("json: a message of more than 1000000 values (limit max_frame_elements)");
        assertThat(fed[0]).as("bytes fed before it failed").isLessThan(3_100_000);
        assertThat(limits.bufferedBytes()).isZero();
    }

    @Test
    void invalidInputIsReportedAtItsByteInTheMessage() {
        FrameDecoder d = codec.newDecoder(DecodeLimits.of(1024));
        List<List<Object>> got = new ArrayList<>();
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(bytes("[\"ok\"] [\"a\",}")), (m, n) -> got.add(m)))
                .isExactlyInstanceOf(CodecException.class)
                .hasMessageStartingWith("json: invalid input near byte 6 of the message: Unexpected character ('}'");
        assertThat(got).containsExactly(List.of("ok"));
        for (String bad : List.of("{}", "42", "null", "\"s\"", "]", "x")) {
            assertThatThrownBy(() -> codec.newDecoder(DecodeLimits.of(1024)).decode(ByteBuffer.wrap(bytes(bad)),
                    (m, n) -> { })).as(bad).hasMessageStartingWith("json: expected a message array, got ");
        }
    }

    @Test
    void aConsumerExceptionIsNotACodecFailure() {
        FrameDecoder d = codec.newDecoder(DecodeLimits.of(1024));
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(bytes("[1]")), (m, n) -> {
            throw new IllegalStateException("receiver");
        })).isExactlyInstanceOf(IllegalStateException.class);
        List<List<Object>> got = new ArrayList<>();
        d.decode(ByteBuffer.wrap(bytes("[2]")), (m, n) -> got.add(m));
        assertThat(got).containsExactly(List.of(2));
    }

    @Test
    void messagesBeforeBadBytesInTheSameChunkAreDeliveredThenItThrows() {
        FrameDecoder d = codec.newDecoder(DecodeLimits.of(1024));
        List<List<Object>> got = new ArrayList<>();
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(bytes("[\"ok\"][\"two\"]}")), (m, n) -> got.add(m)))
                .isInstanceOf(CodecException.class);
        assertThat(got).containsExactly(List.of("ok"), List.of("two"));
    }
}
