package org.aemp.codec.kryo;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.aemp.spi.Codec;
import org.aemp.spi.CodecException;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.FrameDecoder;
import org.aemp.spi.FrameEncoder;

/**
 * The {@code kryo} framing, for links between Java nodes: each message is a length prefix (an
 * unsigned LEB128 varint, 1 to 5 bytes) followed by that many bytes of Kryo output.
 *
 * <pre>{@code
 * ["b","hello",42]  ->  0c | 03    | 03 82 62   | 03 68 65 6c 6c ef | 02 54
 *                      len  count   String "b"   String "hello"      Integer 42
 *                                   (class id 1 + 2, then Kryo's string; 42 zigzagged)
 * }</pre>
 *
 * <p>Plain values keep their Java types: null, String, Boolean, Integer, Long, Short, Byte, Double,
 * Float, BigInteger, BigDecimal and {@code byte[]} arrive as they were sent; any List arrives as an
 * ArrayList and any Map (String keys only) as a LinkedHashMap. Application classes travel too once
 * registered with an id, on every node alike, by a {@link KryoRegistrar}: found with
 * {@link ServiceLoader} by {@link #KryoCodec()}, or given to {@link #KryoCodec(List)}. Kryo's
 * registration requirement stays on and class names are never read from the wire, so a peer can
 * only make this node build the classes it registered.
 *
 * <p>Perl nodes cannot read it ({@link #perlCompatible()} is false): a Java node lists it first in
 * its greeting, Java peers choose it, and Perl peers choose the first framing of the list they know.
 *
 * <p>Thread-safe. Kryo instances are not, so each encoder and each decoder (one per connection and
 * direction) has its own, built from the registrations when it is made.
 */
public final class KryoCodec implements Codec {
    private volatile Registrations registrations; // null: discover registrars on first use

    /**
     * The codec with the registrars listed in {@code META-INF/services/org.aemp.codec.kryo.KryoRegistrar},
     * as {@link ServiceLoader} creates it. They are loaded, with this module's class loader, when
     * first needed (the first encoder, decoder or {@link #canEncode} call), not here.
     */
    public KryoCodec() {
    }

    /**
     * The codec with exactly these registrars; the service file is not read.
     *
     * @throws IllegalArgumentException if two registrations clash (see {@link KryoRegistry})
     */
    public KryoCodec(List<KryoRegistrar> registrars) {
        List<KryoRegistrar> explicit = List.copyOf(requireNonNull(registrars, "registrars"));
        this.registrations = Registrations.of(explicit);
    }

    @Override
    public String name() {
        return "kryo";
    }

    /** 20: first among the codecs, so that Java peers choose it (Perl skips it). */
    @Override
    public int preference() {
        return 20;
    }

    @Override
    public boolean perlCompatible() {
        return false;
    }

    /** True for the application classes registered (see {@link KryoRegistrar}). */
    @Override
    public boolean canEncode(Class<?> type) {
        return registrations().contains(requireNonNull(type, "type"));
    }

    /** The application classes registered, in ascending id order: compare them across nodes when in doubt. */
    public Map<Integer, Class<?>> registeredClasses() {
        return registrations().byId();
    }

    @Override
    public FrameEncoder newEncoder() {
        return new KryoFrameEncoder(registrations().newKryo());
    }

    @Override
    public FrameDecoder newDecoder(DecodeLimits limits) {
        requireNonNull(limits, "limits");
        return new KryoFrameDecoder(registrations().newKryo(), limits);
    }

    @Override
    public String toString() {
        return "KryoCodec";
    }

    private Registrations registrations() {
        Registrations r = registrations;
        if (r == null) {
            synchronized (this) {
                r = registrations;
                if (r == null) {
                    r = Registrations.of(discover());
                    registrations = r;
                }
            }
        }
        return r;
    }

    /**
     * Every registrar in the service files. One that fails to load is an error, not a warning: the
     * others' ids alone would differ from the other nodes'.
     */
    private static List<KryoRegistrar> discover() {
        List<KryoRegistrar> found = new ArrayList<>();
        Iterator<KryoRegistrar> it = ServiceLoader.load(KryoRegistrar.class, KryoRegistrar.class.getClassLoader()).iterator();
        try {
            while (it.hasNext()) {
                found.add(it.next());
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("kryo: a KryoRegistrar listed in META-INF/services/"
                    + KryoRegistrar.class.getName() + " cannot be loaded: " + e.getMessage(), e);
        }
        return found;
    }

    /** The error for a class that is not registered, saying how to register it. */
    static CodecException unregistered(Class<?> type) {
        return new CodecException("kryo: class " + type.getTypeName() + " is not registered, so it cannot be sent"
                + " or received. Register it with the same id (>= " + KryoRegistry.FIRST_ID + ") on every node:"
                + " registry.register(" + type.getSimpleName() + ".class, id) in a KryoRegistrar listed in"
                + " META-INF/services/" + KryoRegistrar.class.getName() + " or passed to new KryoCodec(registrars)");
    }

    /** A failure inside Kryo as a CodecException: the first one in the cause chain, else a wrapper. */
    static CodecException failure(RuntimeException e, String doing) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CodecException c) {
                return c == e ? c : new CodecException(c.getMessage(), e);
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new CodecException("kryo: " + doing + ": " + root, e);
    }

    /** The registrations of one codec, fixed once made. Thread-safe. */
    static final class Registrations {
        private final List<KryoRegistry.Entry> entries;
        private final Map<Class<?>, Integer> ids = new LinkedHashMap<>();
        private final Map<Integer, Class<?>> byId = new TreeMap<>();

        private Registrations(List<KryoRegistry.Entry> entries) {
            this.entries = entries;
            for (KryoRegistry.Entry e : entries) {
                ids.put(e.type(), e.id());
                byId.put(e.id(), e.type());
            }
        }

        static Registrations of(List<KryoRegistrar> registrars) {
            KryoRegistry registry = new KryoRegistry();
            for (KryoRegistrar r : registrars) {
                r.register(registry);
            }
            return new Registrations(registry.entries());
        }

        boolean contains(Class<?> type) {
            if (!type.isEnum() && Enum.class.isAssignableFrom(type) && type.getSuperclass().isEnum()) {
                type = type.getSuperclass(); // a constant with a body: Kryo uses its enum's registration
            }
            return ids.containsKey(type);
        }

        Map<Integer, Class<?>> byId() {
            return Collections.unmodifiableMap(byId);
        }

        MessageKryo newKryo() {
            return new MessageKryo(entries);
        }
    }
}
