package org.aemp.codec.kryo;

/**
 * Registers application classes with the {@code kryo} framing, so that messages can carry them.
 * Every node of a network must register the same classes with the same ids: the wire carries only
 * the id. Provide one either in
 * {@code META-INF/services/org.aemp.codec.kryo.KryoRegistrar} (found by {@link KryoCodec#KryoCodec()})
 * or explicitly through {@link KryoCodec#KryoCodec(java.util.List)}.
 *
 * <pre>{@code
 * public final class OrderRegistrar implements KryoRegistrar {
 *     public void register(KryoRegistry registry) {
 *         registry.register(OrderPlaced.class, 100)     // records use Kryo's RecordSerializer
 *                 .register(OrderState.class, 101);     // enums their ordinal
 *     }
 * }
 * }</pre>
 *
 * <p>Called once per codec, on whichever thread first needs the registrations; it must only
 * register, deterministically, and not block.
 */
@FunctionalInterface
public interface KryoRegistrar {

    /** Registers this application's classes with their ids. */
    void register(KryoRegistry registry);
}
