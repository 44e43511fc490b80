package org.aemp.codec.kryo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import org.aemp.codec.kryo.TestRegistrar.Color;
import org.aemp.codec.kryo.TestRegistrar.Envelope;
import org.aemp.codec.kryo.TestRegistrar.Point;
import org.aemp.codec.kryo.TestRegistrar.Unregistered;
import org.aemp.spi.Codec;
import org.aemp.spi.CodecException;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.FrameDecoder;
import org.aemp.spi.FrameTooLongException;
import org.aemp.testing.CodecConformance;
import org.aemp.testing.CodecSupport;
import org.junit.jupiter.api.Test;

class KryoCodecTest extends CodecConformance {
    private static final HexFormat HEX = HexFormat.of();
    private final KryoCodec codec = new KryoCodec(); // with TestRegistrar, from the service file

    @Override
    protected Codec codec() {
        return codec;
    }

    /** Kryo keeps every type: Long stays Long, byte[] stays byte[], Float stays Float. */
    @Override
    protected Object expected(Object sent) {
        return sent;
    }

    @Override
    protected List<byte[]> garbage() {
        return List.of(
                hex("00"),                         // a frame of length 0
                hex("ffffffffff"),                 // a length prefix longer than 5 bytes
                hex("02 05 00"),                   // a list of 5 with 1 byte left
                hex("03 01 7f 00"),                // class id 125: not registered
                hex("03 01 01 00"),                // a class name instead of an id
                hex("03 00 00 00"),                // bytes left over after the message
                hex("08 01 03 ff ff ff ff 07 41"), // a string of 2^31 chars in 6 bytes
                hex("07 01 0e ff ff ff ff 07"),    // a byte[] of 2^31 - 2 bytes
                hex("07 01 0c ff ff ff ff 07"),    // a list of 2^31 - 1 elements
                hex("03 01 68 05"));               // a Color (id 102) with ordinal 4 of 2
    }

    @Test
    void plainValuesKeepTheirJavaTypes() {
        List<Object> message = Arrays.asList("p", (short) 3, (byte) 4, 5, 6L, 7.5f, 8.5, new BigInteger("123456789012345678901234567890"),
                new BigDecimal("1.50"), true, null, new byte[] {1, 2}, 'c');
        List<Object> got = decodeAll(encode(message)).get(0);
        assertThat(got).extracting(o -> o == null ? null : (Object) o.getClass()).containsExactly(String.class, Short.class,
                Byte.class, Integer.class, Long.class, Float.class, Double.class, BigInteger.class, BigDecimal.class,
                Boolean.class, null, byte[].class, Character.class);
        assertThat(CodecSupport.comparable(got)).isEqualTo(CodecSupport.comparable(message));
        assertThat(got.get(8)).isEqualTo(new BigDecimal("1.50")); // scale kept
    }

    @Test
    void anyListArrivesAsArrayListAndAnyMapAsLinkedHashMap() {
        Map<String, Object> tree = new TreeMap<>(Map.of("b", 2, "a", 1));
        List<Object> message = List.of("p", List.of(1), new LinkedList<>(List.of(2)), Collections.unmodifiableList(
                new ArrayList<>(List.of(3))), Arrays.asList(4, 5), Collections.emptyList(), Collections.singletonList(6),
                Map.of("k", "v"), tree, Collections.emptyMap(), Collections.singletonMap("s", 7));
        List<Object> got = decodeAll(encode(message)).get(0);
        assertThat(got).isInstanceOf(ArrayList.class).isEqualTo(message);
        for (Object o : got.subList(1, 7)) {
            assertThat(o).isExactlyInstanceOf(ArrayList.class);
        }
        for (Object o : got.subList(7, 11)) {
            assertThat(o).isExactlyInstanceOf(LinkedHashMap.class);
        }
        assertThat(new ArrayList<Object>(((Map<?, ?>) got.get(8)).keySet())).containsExactly("a", "b"); // iteration order kept
    }

    @Test
    void theFrameIsAVarintLengthAndTheKryoBytes() {
        byte[] frame = encode(List.of("b", "hello", 42));
        assertThat(HEX.formatHex(frame)).isEqualTo("0c" + "03" + "038262" + "0368656c6cef" + "0254");
    }

    @Test
    void aRegisteredRecordRoundTrips() {
        Envelope e = new Envelope("order", List.of(1, "two", new Point(3, 4, null)), Map.of("k", List.of()),
                new Point(-1, 2, "origin"), Color.GREEN);
        List<Object> got = decodeAll(encode(List.of("p", e, new Point(5, 6, "x"), Color.RED))).get(0);
        assertThat(got).containsExactly("p", e, new Point(5, 6, "x"), Color.RED);
        assertThat(((Envelope) got.get(1)).items()).isExactlyInstanceOf(ArrayList.class);
    }

    @Test
    void canEncodeAnswersForRegisteredClassesOnly() {
        assertThat(codec.canEncode(Point.class)).isTrue();
        assertThat(codec.canEncode(Envelope.class)).isTrue();
        assertThat(codec.canEncode(Color.GREEN.getClass())).as("a constant with a body").isTrue();
        assertThat(codec.canEncode(Unregistered.class)).isFalse();
        assertThat(codec.canEncode(Object.class)).isFalse();
        assertThat(codec.registeredClasses()).containsExactly(Map.entry(100, Point.class), Map.entry(101, Envelope.class),
                Map.entry(102, Color.class));
    }

    @Test
    void anUnregisteredClassFailsToEncodeSayingHowToRegisterIt() {
        for (Object v : List.of(new Unregistered("x"), List.of(new Unregistered("nested")),
                new Envelope("t", List.of(), Map.of("k", new Unregistered("in a record")), null, null))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThatThrownBy(() -> codec.newEncoder().encode(List.of("p", v), out))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("org.aemp.codec.kryo.TestRegistrar$Unregistered")
                    .hasMessageContaining("is not registered")
                    .hasMessageContaining("KryoRegistrar")
                    .hasMessageContaining("registry.register(Unregistered.class, id)");
            assertThat(out.size()).as("nothing written").isZero();
        }
        assertThatThrownBy(() -> encode(List.of("p", new int[] {1})))
                .isInstanceOf(CodecException.class).hasMessageContaining("class int[] is not registered");
    }

    @Test
    void aMapWithANonStringKeyInsideARecordFails() {
        Envelope e = new Envelope("t", List.of(), Map.of("k", Map.of(1, "int key")), null, null);
        assertThatThrownBy(() -> encode(List.of("p", e)))
                .isInstanceOf(CodecException.class).hasMessageContaining("map key of type java.lang.Integer");
    }

    @Test
    void theEncoderStillWorksAfterAFailure() {
        var encoder = codec.newEncoder();
        assertThatThrownBy(() -> encoder.encode(List.of("p", new Object()), new ByteArrayOutputStream()))
                .isInstanceOf(CodecException.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            encoder.encode(List.of("p", new Point(1, 2, "ok")), out);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        assertThat(decodeAll(out.toByteArray())).containsExactly(List.of("p", new Point(1, 2, "ok")));
    }

    @Test
    void aClassIdTheReceiverHasNotRegisteredFailsWithACodecException() {
        byte[] frame = encode(List.of("p", new Point(1, 2, "here")));
        KryoCodec bare = new KryoCodec(List.of());
        assertThat(bare.canEncode(Point.class)).isFalse();
        FrameDecoder d = bare.newDecoder(DecodeLimits.of(1 << 20));
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(frame), (m, n) -> { }))
                .isExactlyInstanceOf(CodecException.class)
                .hasMessageContaining("class id 100")
                .hasMessageContaining("not registered on this node");
    }

    @Test
    void explicitRegistrarsReplaceTheServiceFile() {
        KryoCodec explicit = new KryoCodec(List.of(r -> r.register(Point.class, 40)));
        assertThat(explicit.registeredClasses()).containsExactly(Map.entry(40, Point.class));
        assertThat(explicit.canEncode(Envelope.class)).isFalse();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            explicit.newEncoder().encode(List.of("p", new Point(7, 8, "forty")), out);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        List<List<Object>> got = new ArrayList<>();
        explicit.newDecoder(DecodeLimits.of(1024)).decode(ByteBuffer.wrap(out.toByteArray()), (m, n) -> got.add(m));
        assertThat(got).containsExactly(List.of("p", new Point(7, 8, "forty")));
    }

    @Test
    void aCustomSerializerCanBeRegistered() {
        final class Money {
            final long cents;

            Money(long cents) {
                this.cents = cents;
            }
        }
        Serializer<Money> money = new Serializer<>() {
            @Override
            public void write(Kryo kryo, Output output, Money m) {
                output.writeVarLong(m.cents, false);
            }

            @Override
            public Money read(Kryo kryo, Input input, Class<? extends Money> type) {
                return new Money(input.readVarLong(false));
            }
        };
        KryoCodec c = new KryoCodec(List.of(r -> r.register(Money.class, 50, () -> money)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            c.newEncoder().encode(List.of("p", new Money(-250)), out);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        List<List<Object>> got = new ArrayList<>();
        c.newDecoder(DecodeLimits.of(1024)).decode(ByteBuffer.wrap(out.toByteArray()), (m, n) -> got.add(m));
        assertThat(((Money) got.get(0).get(1)).cents).isEqualTo(-250);
    }

    @Test
    void registrationsAreChecked() {
        assertThatThrownBy(() -> new KryoCodec(List.of(r -> r.register(Point.class, 31))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id must be >= 32");
        assertThatThrownBy(() -> new KryoCodec(List.of(r -> r.register(Point.class, 40).register(Envelope.class, 40))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id 40 is already registered for org.aemp.codec.kryo.TestRegistrar$Point");
        assertThatThrownBy(() -> new KryoCodec(List.of(r -> r.register(Point.class, 40), r -> r.register(Point.class, 41))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered with id 40");
        assertThatThrownBy(() -> new KryoCodec(List.of(r -> r.register(ArrayList.class, 40))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("built in");
        assertThatThrownBy(() -> new KryoCodec(List.of(r -> r.register(Object.class, 40))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only records and enums");
    }

    @Test
    void aPrefixOverTheLimitFailsAtOnce() {
        FrameDecoder d = codec.newDecoder(DecodeLimits.of(1 << 16));
        // 2^30 announced in a 5-byte prefix, and no body
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(hex("8080808004")), (m, n) -> { }))
                .isInstanceOf(FrameTooLongException.class)
                .hasMessage("kryo: message of at least 1073741829 bytes exceeds the frame limit of 65536 bytes");
        FrameDecoder e = codec.newDecoder(DecodeLimits.of(100));
        assertThatThrownBy(() -> e.decode(ByteBuffer.wrap(hex("64")), (m, n) -> { }))
                .isInstanceOf(FrameTooLongException.class).hasMessageContaining("at least 101 bytes");
    }

    @Test
    void aMessageExactlyAtTheLimitIsAccepted() {
        byte[] frame = encode(List.of("x".repeat(100)));
        List<List<Object>> got = new ArrayList<>();
        codec.newDecoder(DecodeLimits.of(frame.length)).decode(ByteBuffer.wrap(frame), (m, n) -> got.add(m));
        assertThat(got).as("the limit counts the prefix too, as the whole frame").hasSize(1);
        assertThatThrownBy(() -> codec.newDecoder(DecodeLimits.of(frame.length - 1)).decode(ByteBuffer.wrap(frame),
                (m, n) -> { })).isInstanceOf(FrameTooLongException.class);
    }

    @Test
    void aDeclaredSizeOverTheElementLimitFailsBeforeTheContainerIsMade() {
        for (int id : new int[] {MessageKryo.LIST_ID, MessageKryo.MAP_ID}) {
            int entries = 600_000; // a map's entries count twice
            Output body = new Output(4 << 20);
            body.writeVarInt(2, true);       // the message: a list of two
            body.writeVarInt(3, true);       // String "p"
            body.writeString("p");
            body.writeVarInt(id + 2, true);  // a list or a map
            body.writeVarInt(id == MessageKryo.LIST_ID ? 2 * entries : entries, true);
            body.setPosition(body.position() + 2 * entries); // zeros: nulls, or ... whatever: never read
            FrameDecoder d = codec.newDecoder(DecodeLimits.of(64 << 20));
            assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(frame(body)), (m, n) -> { }))
                    .isExactlyInstanceOf(CodecException.class)
                    .hasMessage("kryo: a message of more than 1000000 values (limit max_frame_elements)");
        }
    }

    @Test
    void decodesFromDirectBuffersSplitAnywhere() {
        byte[] stream = encode(List.of("a", 1), List.of("b", "x".repeat(40_000), new Point(1, 1, "p")), List.of());
        for (int step : new int[] {1, 2, 3, 1000, stream.length}) {
            FrameDecoder d = codec.newDecoder(DecodeLimits.of(1 << 20));
            List<List<Object>> got = new ArrayList<>();
            for (int off = 0; off < stream.length; off += step) {
                int n = Math.min(step, stream.length - off);
                d.decode(ByteBuffer.allocateDirect(n).put(stream, off, n).flip(), (m, size) -> got.add(m));
            }
            assertThat(got).as("step " + step).containsExactly(List.of("a", 1),
                    List.of("b", "x".repeat(40_000), new Point(1, 1, "p")), List.of());
            assertThat(d.pending()).isZero();
        }
    }

    @Test
    void pendingCountsThePrefixAndTheBodySoFar() {
        byte[] frame = encode(List.of("p", "x".repeat(200)));
        assertThat(frame[0] & 0x80).as("two-byte prefix").isNotZero();
        FrameDecoder d = codec.newDecoder(DecodeLimits.of(1024));
        d.decode(ByteBuffer.wrap(frame, 0, 1), (m, n) -> { });
        assertThat(d.pending()).isEqualTo(1);
        d.decode(ByteBuffer.wrap(frame, 1, 50), (m, n) -> { });
        assertThat(d.pending()).isEqualTo(51);
    }

    @Test
    void nestingBeyondTheLimitFailsBothWays() {
        Object deep = List.of();
        for (int i = 0; i < 600; i++) {
            deep = List.of(deep);
        }
        Object tooDeep = deep;
        assertThatThrownBy(() -> encode(List.of("p", tooDeep)))
                .isInstanceOf(CodecException.class).hasMessageContaining("nested more than 512");
        byte[] frame = new byte[2 + 2 * 600 + 1];
        frame[0] = (byte) 0x80; // prefix filled in below
        int p = 2;
        for (int i = 0; i < 600; i++) {
            frame[p++] = 1;  // a list of one
            frame[p++] = 12; // whose element is a list (id 10 + 2)
        }
        frame[p] = 0;
        int body = frame.length - 2;
        frame[0] = (byte) (body & 0x7f | 0x80);
        frame[1] = (byte) (body >>> 7);
        assertThatThrownBy(() -> codec.newDecoder(DecodeLimits.of(1 << 16)).decode(ByteBuffer.wrap(frame),
                (m, n) -> { }))
                .isInstanceOf(CodecException.class).hasMessageContaining("nested more than 512");
    }

    @Test
    void aDecoderThatFailedStaysFailed() {
        FrameDecoder d = codec.newDecoder(DecodeLimits.of(1024));
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(hex("00")), (m, n) -> { }))
                .isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(encode(List.of("ok"))), (m, n) -> { }))
                .isInstanceOf(CodecException.class).hasMessageContaining("already failed");
    }

    @Test
    void reportsItsNameAndRank() {
        assertThat(codec.name()).isEqualTo("kryo");
        assertThat(codec.preference()).isEqualTo(20);
        assertThat(codec.perlCompatible()).isFalse();
        assertThatThrownBy(() -> codec.newDecoder(null)).isInstanceOf(NullPointerException.class).hasMessage("limits");
    }

    /** A frame: the varint length, then the body. */
    private static byte[] frame(Output body) {
        Output frame = new Output(body.position() + 5);
        frame.writeVarInt(body.position(), true);
        frame.writeBytes(body.getBuffer(), 0, body.position());
        return frame.toBytes();
    }

    @Test
    void bigIntegersAndBigDecimalsAreLimitedTo8192BitsBothWays() {
        BigInteger max = BigInteger.ONE.shiftLeft(8192).subtract(BigInteger.ONE);
        BigInteger min = BigInteger.ONE.shiftLeft(8192).negate();
        List<Object> fits = List.of(max, min, new BigDecimal(max, 5), new BigDecimal(min, -3));
        assertThat(decodeAll(encode(fits))).containsExactly(fits);
        assertThatThrownBy(() -> encode(List.of(max.add(BigInteger.ONE)))).isInstanceOf(CodecException.class)
                .hasMessageContaining("8193 bits").hasMessageContaining("8192");
        assertThatThrownBy(() -> encode(List.of(new BigDecimal(min.subtract(BigInteger.ONE), 2))))
                .isInstanceOf(CodecException.class).hasMessageContaining("8193 bits");

        byte[] magnitude = new byte[1026];
        magnitude[0] = 1;
        for (int id : new int[] {MessageKryo.BIG_INTEGER_ID, MessageKryo.BIG_DECIMAL_ID}) {
            Output body = new Output(2048);
            body.writeVarInt(1, true);         // a list of one
            body.writeVarInt(id + 2, true);    // BigInteger or BigDecimal
            body.writeVarInt(1026 + 1, true);  // Kryo's length head: bytes + 1
            body.writeBytes(magnitude);
            body.writeInt(0, false);           // a BigDecimal's scale
            FrameDecoder d = codec.newDecoder(DecodeLimits.of(1 << 16));
            assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(frame(body)), (m, n) -> { }))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("of 1026 bytes is longer than the limit of 1025 bytes");
        }
    }

    @Test
    void messagesBeforeBadBytesInTheSameChunkAreDeliveredThenItThrows() {
        byte[] good = encode(List.of("ok"), List.of(2));
        byte[] stream = Arrays.copyOf(good, good.length + 1); // then a frame of length 0
        for (boolean direct : new boolean[] {false, true}) {
            FrameDecoder d = codec.newDecoder(DecodeLimits.of(1024));
            ByteBuffer chunk = direct ? ByteBuffer.allocateDirect(stream.length).put(stream).flip() : ByteBuffer.wrap(stream);
            List<List<Object>> got = new ArrayList<>();
            assertThatThrownBy(() -> d.decode(chunk, (m, n) -> got.add(m))).as("direct " + direct)
                    .isInstanceOf(CodecException.class).hasMessageContaining("length 0");
            assertThat(got).as("direct " + direct).containsExactly(List.of("ok"), List.of(2));
        }
    }

    @Test
    void aConsumerExceptionIsNotACodecFailure() {
        FrameDecoder d = codec.newDecoder(DecodeLimits.of(1024));
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(encode(List.of(1))), (m, n) -> {
            throw new IllegalStateException("receiver");
        })).isExactlyInstanceOf(IllegalStateException.class);
        List<List<Object>> got = new ArrayList<>();
        d.decode(ByteBuffer.wrap(encode(List.of(2))), (m, n) -> got.add(m));
        assertThat(got).containsExactly(List.of(2));
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
        assertThatThrownBy(() -> encode(nested(513))).isInstanceOf(CodecException.class)
                .hasMessageContaining("nested more than 512");
    }

    @Test
    void registeredClassesAreListedByAscendingId() {
        KryoCodec c = new KryoCodec(List.of(r -> r.register(Color.class, 50).register(Point.class, 40)));
        assertThat(c.registeredClasses()).containsExactly(Map.entry(40, Point.class), Map.entry(50, Color.class));
    }

    @Test
    void readsKryosAsciiFormOfAnyLength() {
        for (int length : new int[] {2, 32, 33, 100}) { // Kryo writes 2 to 32 chars so; any length reads
            Output body = new Output(256);
            body.writeVarInt(1, true);
            body.writeVarInt(3, true); // String (id 1 + 2)
            for (int i = 0; i < length - 1; i++) {
                body.writeByte('a');
            }
            body.writeByte('z' | 0x80); // the last char carries the end mark
            assertThat(decodeAll(frame(body))).as("length " + length)
                    .containsExactly(List.of("a".repeat(length - 1) + "z"));
        }
    }

    @Test
    void decodingNeverWritesIntoTheCallersBuffer() throws InterruptedException {
        byte[] stream = encode(List.of("x".repeat(32), "y".repeat(32), "z".repeat(32)));
        byte[] original = stream.clone();
        VarHandle bytes = MethodHandles.arrayElementVarHandle(byte[].class);
        AtomicBoolean done = new AtomicBoolean();
        AtomicBoolean changed = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!done.get() && !changed.get()) {
                for (int i = 0; i < stream.length; i++) {
                    if ((byte) bytes.getVolatile(stream, i) != original[i]) {
                        changed.set(true);
                    }
                }
            }
        });
        watcher.start();
        long end = System.nanoTime() + 300_000_000L;
        try {
            while (System.nanoTime() < end && !changed.get()) {
                for (int i = 0; i < 1000; i++) {
                    codec.newDecoder(DecodeLimits.of(1024)).decode(ByteBuffer.wrap(stream), (m, n) -> { });
                }
            }
        } finally {
            done.set(true);
            watcher.join();
        }
        assertThat(changed).as("a byte of the caller's buffer changed while it was decoded").isFalse();
        assertThat(stream).isEqualTo(original);
    }

    private static byte[] hex(String spaced) {
        return HEX.parseHex(spaced.replace(" ", ""));
    }
}
