/**
 * The {@code kryo} framing between Java nodes: length-prefixed Kryo frames. The public surface is
 * {@link org.aemp.codec.kryo.KryoCodec} and the registration SPI,
 * {@link org.aemp.codec.kryo.KryoRegistrar} and {@link org.aemp.codec.kryo.KryoRegistry}.
 */
package org.aemp.codec.kryo;
