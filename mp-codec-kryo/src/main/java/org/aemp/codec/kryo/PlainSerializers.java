package org.aemp.codec.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aemp.spi.CodecException;

/**
 * Serializers for message lists and maps, whatever their implementation: a count, then the
 * elements (maps: String key, then value), each value with its class id. Reading checks every
 * count against the bytes left in the frame before allocating.
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

    private static int count(Input input, int bytesPerItem, String what) {
        int n = input.readVarInt(true);
        if (n < 0 || (long) n * bytesPerItem > input.limit() - input.position()) {
            throw new CodecException("kryo: invalid frame: a " + what + " of " + (n < 0 ? (n & 0xffffffffL) : n)
                    + " entries is longer than the rest of its frame");
        }
        return n;
    }

    /** Any List, read back as an ArrayList. */
    @SuppressWarnings("rawtypes")
    static final class ListSerializer extends Serializer<List> {
        @Override
        public void write(Kryo kryo, Output output, List list) {
            checkDepth(kryo, true);
            int n = list.size();
            output.writeVarInt(n, true);
            int written = 0;
            for (Object o : list) {
                if (written++ == n) {
                    break;
                }
                kryo.writeClassAndObject(output, o);
            }
            if (written != n) {
                throw new CodecException("kryo: a list changed size while it was encoded");
            }
        }

        @Override
        public List read(Kryo kryo, Input input, Class<? extends List> type) {
            checkDepth(kryo, false);
            int n = count(input, 1, "list");
            List<Object> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(kryo.readClassAndObject(input));
            }
            return list;
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
            int n = count(input, 2, "map");
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
