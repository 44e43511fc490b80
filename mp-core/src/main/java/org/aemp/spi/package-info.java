/**
 * The service provider interfaces: everything the AEMP greeting negotiates by name is a plug-in
 * found with {@link java.util.ServiceLoader}. A {@link org.aemp.spi.Codec} is a framing
 * ({@code json}, {@code cbor}, {@code kryo}); an {@link org.aemp.spi.AuthMethod} an auth method
 * ({@code hmac_sha3_512}, {@code cleartext}, {@code tls_sha3_512}, {@code tls_anon}); a
 * {@link org.aemp.spi.TlsProvider} the {@code tls=1.0} stream upgrade. Adding one is adding a jar
 * with a {@code META-INF/services} file named after the interface (and, for the module path, a
 * {@code provides} line in its {@code module-info}). A codec's decoder extends
 * {@link org.aemp.spi.BoundedFrameDecoder}, which keeps the node's
 * {@link org.aemp.spi.DecodeLimits}: bytes and values per message, and the bytes all links may hold.
 */
package org.aemp.spi;
