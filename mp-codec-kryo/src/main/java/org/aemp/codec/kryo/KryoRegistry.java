package org.aemp.codec.kryo;

import static java.util.Objects.requireNonNull;

import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.EnumSerializer;
import com.esotericsoftware.kryo.serializers.RecordSerializer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The classes a {@link KryoRegistrar} adds to the {@code kryo} framing, each with the id that stands
 * for it on the wire. Ids from {@link #FIRST_ID} up belong to applications; the ones below are the
 * codec's own (lists, maps, strings, numbers, {@code byte[]}). Every node must register the same
 * class with the same id; an id a receiver does not know fails that connection with a
 * {@link org.aemp.spi.CodecException}.
 *
 * <p>Nothing is ever instantiated from a class name: only registered ids are written and read.
 *
 * <p>Not thread-safe; used only while registrars run, once per codec.
 */
public final class KryoRegistry {
    /** The lowest id an application may use. */
    public static final int FIRST_ID = 32;

    private static final Set<Class<?>> BUILT_IN = Set.of(String.class, Integer.class, Long.class, Short.class,
            Byte.class, Double.class, Float.class, Boolean.class, Character.class, BigInteger.class,
            BigDecimal.class, byte[].class, int.class, long.class, short.class, byte.class, double.class,
            float.class, boolean.class, char.class);

    /** One registration: a class, its id and a maker of its serializer (one serializer per Kryo instance). */
    record Entry(Class<?> type, int id, Supplier<? extends Serializer<?>> serializer) {
    }

    private final Map<Integer, Entry> byId = new LinkedHashMap<>();
    private final Map<Class<?>, Entry> byClass = new LinkedHashMap<>();

    KryoRegistry() {
    }

    /**
     * Registers a record (serialized with Kryo's {@code RecordSerializer}, component by component in
     * declaration order) or an enum (by ordinal). Components of a record must themselves be plain
     * values (null, String, Boolean, numbers, byte[], List, Map with String keys), primitives, or
     * registered classes.
     *
     * @return this registry, for chaining
     * @throws IllegalArgumentException if the class is neither a record nor an enum, is built in, or
     *     the class or id is taken, or {@code id < FIRST_ID}
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public KryoRegistry register(Class<?> type, int id) {
        requireNonNull(type, "type");
        checkNotBuiltIn(type);
        if (type.isRecord()) {
            Class raw = type;
            return add(type, id, () -> new RecordSerializer(raw));
        }
        if (type.isEnum()) {
            Class<? extends Enum> e = (Class<? extends Enum>) type;
            return add(type, id, () -> new EnumSerializer(e));
        }
        throw new IllegalArgumentException("cannot register " + type.getName() + " with id " + id
                + " without a serializer: only records and enums have one by default;"
                + " use register(type, id, serializer)");
    }

    /**
     * Registers a class with a serializer of your own. {@code serializer} is called once for each
     * Kryo instance (one per connection and direction), so a serializer need not be thread-safe.
     * A serializer that reads a length from the wire must check it against the bytes left
     * ({@code input.limit() - input.position()}) before allocating.
     *
     * @return this registry, for chaining
     * @throws IllegalArgumentException if the class is built in, the class or id is taken, or
     *     {@code id < FIRST_ID}
     */
    public <T> KryoRegistry register(Class<T> type, int id, Supplier<? extends Serializer<T>> serializer) {
        requireNonNull(type, "type");
        requireNonNull(serializer, "serializer");
        return add(type, id, serializer);
    }

    private KryoRegistry add(Class<?> type, int id, Supplier<? extends Serializer<?>> serializer) {
        if (id < FIRST_ID) {
            throw new IllegalArgumentException("id must be >= " + FIRST_ID + " (lower ids are the codec's own): "
                    + id + " for " + type.getName());
        }
        checkNotBuiltIn(type);
        Entry taken = byId.get(id);
        if (taken != null) {
            throw new IllegalArgumentException("id " + id + " is already registered for " + taken.type().getName()
                    + ", cannot also take " + type.getName());
        }
        Entry twice = byClass.get(type);
        if (twice != null) {
            throw new IllegalArgumentException(type.getName() + " is already registered with id " + twice.id()
                    + ", cannot also take id " + id);
        }
        Entry e = new Entry(type, id, serializer);
        byId.put(id, e);
        byClass.put(type, e);
        return this;
    }

    private static void checkNotBuiltIn(Class<?> type) {
        if (BUILT_IN.contains(type) || List.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(type.getName() + " is built in: plain values, lists (sent as"
                    + " ArrayList) and maps (sent as LinkedHashMap) need no registration");
        }
    }

    /** The registrations so far, in the order they were made. */
    List<Entry> entries() {
        return Collections.unmodifiableList(new ArrayList<>(byId.values()));
    }
}
