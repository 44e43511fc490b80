package org.aemp.codec.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.aemp.spi.Codec;
import org.aemp.spi.CodecException;
import org.aemp.spi.FrameDecoder;
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
        codec.newDecoder(1 << 20).decode(ByteBuffer.wrap(bytes(text)), out::add);
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
        FrameDecoder d = codec.newDecoder(1024);
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(bytes("[\"ok\"]\"scalar\"")), m -> { }))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("expected a message array");
    }

    @Test
    void aDecoderThatFailedStaysFailed() {
        FrameDecoder d = codec.newDecoder(1024);
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(bytes("[}")), m -> { })).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(bytes("[1]")), m -> { })).isInstanceOf(CodecException.class);
    }

    @Test
    void aMessageOverTheLimitIsRejectedAlsoWhenItArrivesInOneChunk() {
        FrameDecoder d = codec.newDecoder(1024);
        String big = "[\"p\"" + ",\"xx\"".repeat(300) + "]"; // 1.5 KiB of short strings
        List<List<Object>> got = new ArrayList<>();
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(bytes("[\"ok\"]" + big)), got::add))
                .isInstanceOf(FrameTooLongException.class)
                .hasMessageStartingWith("json: message of at least 150")
                .hasMessageEndingWith(" bytes exceeds the frame limit of 1024 bytes");
        assertThat(got).containsExactly(List.of("ok"));
    }
}
