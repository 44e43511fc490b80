/**
 * The AEMP {@code cbor} framing: CBOR arrays back to back, read incrementally, written the way
 * Perl's CBOR::XS reads them. The provider is {@link org.aemp.codec.cbor.CborCodec}; everything
 * else in the package is package-private.
 */
package org.aemp.codec.cbor;
