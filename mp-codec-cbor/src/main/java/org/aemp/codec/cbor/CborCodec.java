package org.aemp.codec.cbor;

import static java.util.Objects.requireNonNull;

import org.aemp.spi.Codec;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.FrameDecoder;
import org.aemp.spi.FrameEncoder;

/**
 * The AEMP {@code cbor} framing (RFC 8949), the one Perl AnyEvent::MP 2.x nodes prefer: each
 * message is one CBOR array, and messages follow each other with no separator or length prefix,
 * as CBOR::XS {@code encode_cbor} writes them and {@code incr_parse_multiple} reads them.
 *
 * <pre>{@code
 * ["b","hello",42]  ->  83 41 62 45 68656c6c6f 18 2a   (Perl: byte strings)
 * ["b","hello",42]  ->  83 61 62 65 68656c6c6f 18 2a   (Java: text strings)
 * }</pre>
 *
 * <p>Decoding accepts everything CBOR::XS writes for plain data: byte strings and text strings
 * both become {@code String} (byte strings read as ISO-8859-1, one character per byte, which is
 * how Perl means them), also as map keys; integers become the smallest of Integer, Long and
 * BigInteger; half, single and double floats become Double; {@code undefined} becomes null;
 * bignum tags 2 and 3 become integers, and other tags are ignored (the tagged item is decoded).
 *
 * <p>Encoding writes what CBOR::XS reads: definite-length arrays and maps, Strings as text
 * strings, {@code byte[]} as byte strings, integers in their shortest form (beyond 64 bits as
 * bignum tags 2 and 3), and floats as float32 when that loses nothing, else float64, as CBOR::XS
 * does itself. See the module's README for the full mapping.
 *
 * <p>Thread-safe and stateless; the encoder and decoder it makes are per connection.
 */
public final class CborCodec implements Codec {

    /** The codec, as {@link java.util.ServiceLoader} creates it. */
    public CborCodec() {
    }

    @Override
    public String name() {
        return "cbor";
    }

    /** 10: preferred over {@code json} (0), as Perl 2.x nodes prefer it. */
    @Override
    public int preference() {
        return 10;
    }

    @Override
    public FrameEncoder newEncoder() {
        return new CborFrameEncoder();
    }

    @Override
    public FrameDecoder newDecoder(DecodeLimits limits) {
        return new CborFrameDecoder(requireNonNull(limits, "limits"));
    }

    @Override
    public String toString() {
        return "CborCodec";
    }
}
