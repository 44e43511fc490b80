/**
 * The {@code kryo} framing between Java nodes: a {@link org.aemp.spi.Codec} provider, and the
 * {@code KryoRegistrar} SPI through which applications register their own message types. Kryo
 * builds such types by reflection, so an application module opens their package to
 * {@code com.esotericsoftware.kryo}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // Kryo 5 has no module-info, only an Automatic-Module-Name
module org.aemp.codec.kryo {
    requires transitive org.aemp.core;
    // KryoRegistry.register takes a Kryo Serializer
    requires transitive com.esotericsoftware.kryo;

    exports org.aemp.codec.kryo;

    uses org.aemp.codec.kryo.KryoRegistrar;
    provides org.aemp.spi.Codec with org.aemp.codec.kryo.KryoCodec;
}
