package org.aemp.codec.kryo;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.FrameEncoder;
import org.junit.jupiter.api.Test;

/**
 * The list serializer writes common elements itself; its bytes must stay exactly Kryo's own, so
 * that every version of the codec reads every other.
 */
class KryoFastPathTest {
    private static final String ASCII_33 = "x".repeat(33);
    private static final List<Object> ELEMENTS = Arrays.asList("", "a", "echo", "x".repeat(32), ASCII_33,
            "y".repeat(1024), "é".repeat(40), "ab\u20ac".repeat(20), "\ud83d\ude00".repeat(17), null, 0, -1, 42,
            Integer.MIN_VALUE, Integer.MAX_VALUE, 7L, Long.MIN_VALUE, true, false, 1.5, (short) 3);

    private final KryoCodec codec = new KryoCodec(List.of());

    @Test
    void theListBytesAreKryosOwnElementByElement() throws IOException {
        List<Object> message = new ArrayList<>(ELEMENTS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameEncoder encoder = codec.newEncoder();
        encoder.encode(message, out);
        byte[] frame = out.toByteArray();

        Kryo generic = new MessageKryo(List.of());
        Output expected = new Output(1 << 16);
        expected.writeVarInt(message.size(), true);
        for (Object o : message) {
            generic.writeClassAndObject(expected, o);
        }
        byte[] body = Arrays.copyOfRange(frame, frame.length - expected.position(), frame.length);
        assertThat(body).isEqualTo(expected.toBytes());
    }

    @Test
    void oneNonAsciiCharAnywhereInALongStringIsWrittenAsKryoDoes() throws IOException {
        for (char odd : new char[] {'\u0080', '\u00e9', '\u0100', '\u0141', '\u20ac', '\ud83d'}) {
            for (int length = 33; length <= 48; length++) {
                for (int at = 0; at < length; at++) {
                    char[] text = "a".repeat(length).toCharArray();
                    text[at] = odd;
                    List<Object> message = List.of(new String(text));
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    codec.newEncoder().encode(message, out);
                    byte[] frame = out.toByteArray();
                    Output expected = new Output(256);
                    expected.writeVarInt(1, true);
                    new MessageKryo(List.of()).writeClassAndObject(expected, message.get(0));
                    assertThat(Arrays.copyOfRange(frame, frame.length - expected.position(), frame.length))
                            .as("U+%04X at %d of %d", (int) odd, at, length)
                            .isEqualTo(expected.toBytes());
                }
            }
        }
    }

    @Test
    void whatKryoWritesDecodesToTheSameValues() {
        List<Object> message = new ArrayList<>(ELEMENTS);
        Kryo generic = new MessageKryo(List.of());
        Output body = new Output(1 << 16);
        body.writeVarInt(message.size(), true);
        for (Object o : message) {
            generic.writeClassAndObject(body, o);
        }
        Output frame = new Output(1 << 16);
        frame.writeVarInt(body.position(), true);
        frame.writeBytes(body.getBuffer(), 0, body.position());

        List<List<Object>> got = new ArrayList<>();
        codec.newDecoder(DecodeLimits.of(1 << 20)).decode(ByteBuffer.wrap(frame.toBytes()), (m, n) -> got.add(m));
        assertThat(got).containsExactly(message);
    }
}
