/** The {@code json} framing: a {@link org.aemp.spi.Codec} provider for {@code org.aemp.core}. */
module org.aemp.codec.json {
    requires transitive org.aemp.core;
    requires com.fasterxml.jackson.core;

    // JsonCodec is public so that a NodeConfig can name it without ServiceLoader
    exports org.aemp.codec.json;

    provides org.aemp.spi.Codec with org.aemp.codec.json.JsonCodec;
}
