package org.aemp.codec.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.StreamReadConstraints;
import org.aemp.spi.Codec;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.FrameDecoder;
import org.aemp.spi.FrameEncoder;

/**
 * The AEMP {@code json} framing: each message is the UTF-8 JSON text of one array, and messages
 * follow each other with no separator ({@code ["a",1]["b",2]}), as Perl's JSON::XS writes and
 * incrementally parses them. The baseline framing every AEMP node speaks.
 *
 * <p>Decoding accepts what Perl emits: numbers that arrive as strings stay strings, Perl booleans
 * ({@code "1"}, {@code ""}) stay strings, JSON {@code true}/{@code false} become Booleans,
 * integers become Integer, Long or BigInteger, other numbers Double. Encoding writes only what
 * JSON::XS reads: NaN and infinities are refused (also from other Number types, whose text must be
 * a number), {@code byte[]} is written as a string of characters U+0000 to U+00FF, which is how
 * Perl holds bytes, and nesting is limited to 512 levels both ways (JSON::XS's {@code max_depth}).
 *
 * <p>Thread-safe; the encoder and decoder it makes are per connection.
 */
public final class JsonCodec implements Codec {
    private final JsonFactory factory;

    /**
     * The codec, as {@link java.util.ServiceLoader} creates it. Its Jackson factory does not intern
     * field names (keys come from the network) and never closes the stream it writes to; decoders
     * limit strings to the frame length and nesting to 512 levels, as JSON::XS does.
     */
    public JsonCodec() {
        this.factory = JsonFactory.builder()
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .build();
    }

    @Override
    public String name() {
        return "json";
    }

    @Override
    public FrameEncoder newEncoder() {
        return new JsonFrameEncoder(factory);
    }

    @Override
    public FrameDecoder newDecoder(DecodeLimits limits) {
        JsonFactory bounded = factory.rebuild()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(limits.maxFrameLength())
                        .maxNestingDepth(JsonFrameEncoder.MAX_DEPTH) // JSON::XS max_depth
                        .build())
                .build();
        return new JsonFrameDecoder(bounded, limits);
    }

    @Override
    public String toString() {
        return "JsonCodec";
    }
}
