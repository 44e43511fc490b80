package org.aemp.codec.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aemp.spi.CodecException;

/**
 * Serializers for message lists and maps, whatever their implementation: a count, then the
 * elements (maps: String key, then value), each value with its class id. Reading checks every
 * count against the bytes left in the frame and counts it towards the decoder's element limit (two
 * values per map entry) before allocating. Also Kryo's BigInteger and BigDecimal serializers with a
 * length limit.
 */
final class PlainSerializers {
    private PlainSerializers() {
    }

    private static void checkDepth(Kryo kryo, boolean writing) {
        if (kryo.getDepth() > MessageKryo.MAX_DEPTH) {
            throw new CodecException(writing
                    ? "kryo: cannot encode a value nested more than " + MessageKryo.MAX_DEPTH + " levels deep"
                    : "kryo: invalid frame: nested more than " + MessageKryo.MAX_DEPTH + " levels deep");
        }
    }

    /** Reads a list's or map's size, which must fit the rest of the frame and the element limit. */
    private static int count(Kryo kryo, Input input, int valuesPerItem, String what) {
        int n = input.readVarInt(true);
        if (n < 0 || (long) n * valuesPerItem > input.limit() - input.position()) {
            throw new CodecException("kryo: invalid frame: a " + what + " of " + (n < 0 ? (n & 0xffffffffL) : n)
                    + " entries is longer than the rest of its frame");
        }
        ((MessageKryo) kryo).countValues((long) n * valuesPerItem);
        return n;
    }

    /**
     * Any List, read back as an ArrayList. The commonest elements (String, Integer, Long, Boolean,
     * null) are written and read here, in exactly the bytes Kryo's own serializers produce (class
     * tag, then the value), but without Kryo's per-element registration lookup and serializer
     * dispatch; anything else goes through {@link Kryo#writeClassAndObject}. Long ASCII strings are
     * copied in bulk instead of a character at a time.
     */
    @SuppressWarnings("rawtypes")
    static final class ListSerializer extends Serializer<List> {
        private Tags tags; // resolved on first use from the Kryo instance; the built-in ids never change
        private final byte[] scratch = new byte[KRYO_ASCII_MAX];

        @Override
        public void write(Kryo kryo, Output output, List list) {
            checkDepth(kryo, true);
            Tags t = tags(kryo);
            int n = list.size();
            output.writeVarInt(n, true);
            int written = 0;
            for (Object o : list) {
                if (written++ == n) {
                    break;
                }
                if (o instanceof String s) {
                    output.writeVarInt(t.string, true);
                    writeString(output, s);
                } else if (o instanceof Integer i) {
                    output.writeVarInt(t.integer, true);
                    output.writeVarInt(i, false);
                } else if (o == null) {
                    output.writeByte(Kryo.NULL);
                } else if (o instanceof Long l) {
                    output.writeVarInt(t.longs, true);
                    output.writeVarLong(l, false);
                } else if (o instanceof Boolean b) {
                    output.writeVarInt(t.bool, true);
                    output.writeBoolean(b);
                } else {
                    kryo.writeClassAndObject(output, o);
                }
            }
            if (written != n) {
                throw new CodecException("kryo: a list changed size while it was encoded");
            }
        }

        @Override
        public List read(Kryo kryo, Input input, Class<? extends List> type) {
            checkDepth(kryo, false);
            Tags t = tags(kryo);
            int n = count(kryo, input, 1, "list");
            List<Object> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int start = input.position();
                int tag = input.readVarInt(true);
                if (tag == t.string) {
                    list.add(readString(input, scratch));
                } else if (tag == t.integer) {
                    list.add(input.readVarInt(false));
                } else if (tag == Kryo.NULL) {
                    list.add(null);
                } else if (tag == t.longs) {
                    list.add(input.readVarLong(false));
                } else {
                    input.setPosition(start);
                    list.add(kryo.readClassAndObject(input));
                }
            }
            return list;
        }

        private Tags tags(Kryo kryo) {
            Tags t = tags;
            if (t == null) {
                t = new Tags(kryo);
                tags = t;
            }
            return t;
        }
    }

    /** The class tags (registration id + 2) Kryo writes before a String, Integer, Long and Boolean. */
    private static final class Tags {
        final int string;
        final int integer;
        final int longs;
        final int bool;

        Tags(Kryo kryo) {
            string = kryo.getRegistration(String.class).getId() + 2;
            integer = kryo.getRegistration(Integer.class).getId() + 2;
            longs = kryo.getRegistration(Long.class).getId() + 2;
            bool = kryo.getRegistration(Boolean.class).getId() + 2;
        }
    }

    /** Longest string Kryo writes in its 7-bit ASCII form (ASCII strings longer get a length). */
    private static final int KRYO_ASCII_MAX = 32;

    /**
     * {@link Output#writeString}, byte for byte: a string longer than {@value #KRYO_ASCII_MAX}
     * characters, all ASCII, is a UTF-8 length head and the bytes, which are copied in bulk here.
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exact for the ASCII text it copies
    static void writeString(Output output, String s) {
        int n = s.length();
        if (n <= KRYO_ASCII_MAX || output.getBuffer().length - output.position() < n + 5 || !isAscii(s, n)) {
            output.writeString(s);
            return;
        }
        output.writeVarIntFlag(true, n + 1, true);
        int p = output.position();
        s.getBytes(0, n, output.getBuffer(), p);
        output.setPosition(p + n);
    }

    /** True if every char of {@code s} is ASCII; the text is looked at a block of longs at a time. */
    private static boolean isAscii(String s, int n) {
        long all = 0;
        int i = 0;
        for (int end = n - 3; i < end; i += 4) {
            all |= s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32 | (long) s.charAt(i + 3) << 48;
        }
        for (; i < n; i++) {
            all |= s.charAt(i);
        }
        return (all & 0xff80ff80ff80ff80L) == 0;
    }

    /**
     * {@link Input#readString} (the input's own, bounds checks included), except that the two ASCII
     * cases become a String with one bulk copy and no char[] in between: Kryo's short ASCII form
     * (7-bit bytes, the last with its top bit set) and a UTF-8 form whose bytes are all ASCII. The
     * input's buffer is only read, never written: it may be the caller's (the decoder reads a heap
     * chunk in place).
     *
     * @param scratch where the short ASCII form is copied to clear its end mark
     */
    static String readString(Input input, byte[] scratch) {
        byte[] buf = input.getBuffer();
        int start = input.position();
        int limit = input.limit();
        if (start >= limit) {
            return input.readString(); // fails as Kryo fails
        }
        if ((buf[start] & 0x80) == 0) { // the ASCII form: up to the byte with its top bit set
            int last = start;
            while (last < limit && buf[last] >= 0) {
                last++;
            }
            if (last == limit) {
                return input.readString(); // unterminated: let Kryo report it
            }
            input.setPosition(last + 1);
            int n = last + 1 - start;
            char end = (char) (buf[last] & 0x7f); // the last char, without its end mark
            if (n <= scratch.length) { // what Kryo writes: 2 to 32 chars
                System.arraycopy(buf, start, scratch, 0, n - 1);
                scratch[n - 1] = (byte) end;
                return new String(scratch, 0, n, StandardCharsets.ISO_8859_1);
            }
            return new String(buf, start, n - 1, StandardCharsets.ISO_8859_1).concat(String.valueOf(end));
        }
        int head = input.readVarIntFlag(true); // the UTF-8 form: 0 null, 1 empty, else length + 1
        int n = head - 1;
        int p = input.position();
        if (n > 0 && n <= limit - p && isAscii(buf, p, n)) {
            input.setPosition(p + n);
            return new String(buf, p, n, StandardCharsets.ISO_8859_1);
        }
        input.setPosition(start);
        return input.readString();
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** True if no byte of {@code b[from, from + n)} has its top bit set; eight at a time. */
    private static boolean isAscii(byte[] b, int from, int n) {
        long all = 0;
        int i = from;
        for (int end = from + n - 7; i < end; i += 8) {
            all |= (long) LONGS.get(b, i);
        }
        for (int end = from + n; i < end; i++) {
            all |= b[i];
        }
        return (all & 0x8080808080808080L) == 0;
    }

    /**
     * Longest BigInteger, and BigDecimal unscaled value, written or read: 8192 bits and the sign,
     * as the CBOR codec allows. Without a cap one could be as long as the frame, and turning it
     * into text takes time that grows faster than its length.
     */
    static final int MAX_BIG_BITS = 8192;

    /** Bytes of the two's complement form (what Kryo writes) of a {@link #MAX_BIG_BITS} integer. */
    private static final int MAX_BIG_BYTES = MAX_BIG_BITS / 8 + 1;

    private static void checkBigWrite(int bits, String what) {
        if (bits > MAX_BIG_BITS) {
            throw new CodecException("kryo: cannot encode " + what + " of " + bits + " bits: the limit is "
                    + MAX_BIG_BITS + " bits, as decoders read it");
        }
    }

    /** Checks the length head Kryo writes before a BigInteger or BigDecimal's bytes (bytes + 1), and leaves it. */
    private static void checkBigRead(Input input, String what) {
        int start = input.position();
        int length = input.readVarInt(true);
        input.setPosition(start);
        if (length < 0 || length - 1 > MAX_BIG_BYTES) {
            throw new CodecException("kryo: invalid frame: " + what + " of " + (length < 0 ? (length & 0xffffffffL) - 1
                    : length - 1) + " bytes is longer than the limit of " + MAX_BIG_BYTES + " bytes");
        }
    }

    /** Kryo's BigInteger serializer, limited to {@link #MAX_BIG_BITS}. */
    static final class BigIntegerSerializer extends DefaultSerializers.BigIntegerSerializer {
        @Override
        public void write(Kryo kryo, Output output, BigInteger object) {
            if (object != null) {
                checkBigWrite(object.bitLength(), "a BigInteger");
            }
            super.write(kryo, output, object);
        }

        @Override
        public BigInteger read(Kryo kryo, Input input, Class<? extends BigInteger> type) {
            checkBigRead(input, "a BigInteger");
            return super.read(kryo, input, type);
        }
    }

    /** Kryo's BigDecimal serializer, its unscaled value limited to {@link #MAX_BIG_BITS}. */
    static final class BigDecimalSerializer extends DefaultSerializers.BigDecimalSerializer {
        @Override
        public void write(Kryo kryo, Output output, BigDecimal object) {
            if (object != null && object.precision() > 18) { // fewer digits fit a long
                checkBigWrite(object.unscaledValue().bitLength(), "a BigDecimal with an unscaled value");
            }
            super.write(kryo, output, object);
        }

        @Override
        public BigDecimal read(Kryo kryo, Input input, Class<? extends BigDecimal> type) {
            checkBigRead(input, "a BigDecimal with an unscaled value");
            return super.read(kryo, input, type);
        }
    }

    /** Any Map with String keys, read back as a LinkedHashMap. */
    @SuppressWarnings("rawtypes")
    static final class MapSerializer extends Serializer<Map> {
        @Override
        public void write(Kryo kryo, Output output, Map map) {
            checkDepth(kryo, true);
            int n = map.size();
            output.writeVarInt(n, true);
            int written = 0;
            for (Object o : map.entrySet()) {
                Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
                if (written++ == n) {
                    break;
                }
                if (!(e.getKey() instanceof String key)) {
                    throw new CodecException("kryo: cannot encode a map key of type "
                            + (e.getKey() == null ? "null" : e.getKey().getClass().getName()) + "; keys must be strings");
                }
                output.writeString(key);
                kryo.writeClassAndObject(output, e.getValue());
            }
            if (written != n) {
                throw new CodecException("kryo: a map changed size while it was encoded");
            }
        }

        @Override
        public Map read(Kryo kryo, Input input, Class<? extends Map> type) {
            checkDepth(kryo, false);
            int n = count(kryo, input, 2, "map");
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String key = input.readString();
                if (key == null) {
                    throw new CodecException("kryo: invalid frame: a null map key");
                }
                map.put(key, kryo.readClassAndObject(input));
            }
            return map;
        }
    }
}
