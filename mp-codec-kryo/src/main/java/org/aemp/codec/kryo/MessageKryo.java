package org.aemp.codec.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ByteArraySerializer;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.aemp.spi.CodecException;

/**
 * The Kryo instance of one encoder or decoder: registration required, no references, the codec's
 * own ids below {@link KryoRegistry#FIRST_ID}, then the application's. Kryo's built-in ids are
 * 0 to 8 (int, String, float, boolean, byte, char, short, long, double, wrappers included).
 *
 * <p>Not thread-safe (no Kryo is): one per encoder and one per decoder, that is per connection
 * and direction.
 */
final class MessageKryo extends Kryo {
    static final int LIST_ID = 10;
    static final int MAP_ID = 11;
    static final int BYTES_ID = 12;
    static final int BIG_INTEGER_ID = 13;
    static final int BIG_DECIMAL_ID = 14;

    /** Deepest nesting of lists and maps, as in the other codecs. */
    static final int MAX_DEPTH = 512;

    private LongConsumer valueCounter = n -> { }; // a decoder's element count; none while encoding

    MessageKryo(List<KryoRegistry.Entry> entries) {
        super(new MessageClassResolver(), null);
        setRegistrationRequired(true);
        setReferences(false);
        setMaxDepth(4 * MAX_DEPTH); // a backstop for application serializers; lists and maps check MAX_DEPTH
        register(ArrayList.class, new PlainSerializers.ListSerializer(), LIST_ID);
        register(LinkedHashMap.class, new PlainSerializers.MapSerializer(), MAP_ID);
        register(byte[].class, new ByteArraySerializer(), BYTES_ID);
        register(BigInteger.class, new PlainSerializers.BigIntegerSerializer(), BIG_INTEGER_ID);
        register(BigDecimal.class, new PlainSerializers.BigDecimalSerializer(), BIG_DECIMAL_ID);
        for (KryoRegistry.Entry e : entries) {
            register(e.type(), e.serializer().get(), e.id());
        }
    }

    /** Sets what {@link #countValues} reports to: the decoder's element limit. */
    void valueCounter(LongConsumer counter) {
        this.valueCounter = counter;
    }

    /** Counts {@code n} values of the message being read; throws once over the element limit. */
    void countValues(long n) {
        valueCounter.accept(n);
    }

    /** Kryo's lookup, with an error that says how to register the class. */
    @Override
    @SuppressWarnings("rawtypes")
    public Registration getRegistration(Class type) {
        try {
            return super.getRegistration(type);
        } catch (IllegalArgumentException e) {
            if (type == null) {
                throw e;
            }
            throw KryoCodec.unregistered(type);
        }
    }

    /**
     * Finds registrations by class and reads class ids. Every List is written with the ArrayList
     * registration and every Map with the LinkedHashMap one, so {@code List.of}, unmodifiable views
     * and the like need no registration and arrive as ArrayList and LinkedHashMap. Reading refuses
     * class names (which Kryo would load) and unknown ids, with a clear message.
     */
    static final class MessageClassResolver extends DefaultClassResolver {
        private static final int NAME_ON_WIRE = NAME + 2;

        @Override
        @SuppressWarnings("rawtypes")
        public Registration getRegistration(Class type) {
            Registration r = super.getRegistration(type);
            if (r == null && type != null) {
                if (List.class.isAssignableFrom(type)) {
                    return super.getRegistration(ArrayList.class);
                }
                if (Map.class.isAssignableFrom(type)) {
                    return super.getRegistration(LinkedHashMap.class);
                }
            }
            return r;
        }

        @Override
        public Registration readClass(Input input) {
            int start = input.position();
            int id = input.readVarInt(true);
            if (id == NAME_ON_WIRE) {
                throw new CodecException("kryo: received a class name; only registered class ids are accepted");
            }
            if (id != Kryo.NULL && getRegistration(id - 2) == null) {
                throw new CodecException("kryo: received class id " + (id - 2) + ", which is not registered on this"
                        + " node; every node must register the same classes with the same ids");
            }
            input.setPosition(start);
            return super.readClass(input);
        }
    }
}
