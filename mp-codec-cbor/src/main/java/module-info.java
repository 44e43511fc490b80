/** The {@code cbor} framing: a {@link org.aemp.spi.Codec} provider for {@code org.aemp.core}. */
module org.aemp.codec.cbor {
    requires transitive org.aemp.core;

    // CborCodec is public so that a NodeConfig can name it without ServiceLoader
    exports org.aemp.codec.cbor;

    provides org.aemp.spi.Codec with org.aemp.codec.cbor.CborCodec;
}
