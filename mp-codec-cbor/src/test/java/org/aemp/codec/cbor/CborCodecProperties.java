package org.aemp.codec.cbor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.aemp.spi.Codec;
import org.aemp.spi.CodecException;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.FrameDecoder;
import org.aemp.testing.CodecProperties;

class CborCodecProperties extends CodecProperties {
    private final CborCodec codec = new CborCodec();

    @Override
    protected Codec codec() {
        return codec;
    }

    /** Random bytes behind an array head reach the reader, not just the top-level check. */
    @Property(tries = 1000)
    void bytesInsideAnArrayDecodeOrFailWithACodecException(@ForAll @IntRange(min = 0x80, max = 0x9f) int arrayHead,
            @ForAll @Size(max = 48) byte[] body) {
        byte[] junk = new byte[body.length + 1];
        junk[0] = (byte) arrayHead;
        System.arraycopy(body, 0, junk, 1, body.length);
        FrameDecoder d = codec.newDecoder(DecodeLimits.of(4096));
        try {
            d.decode(ByteBuffer.wrap(junk), (m, n) -> assertThat(m).isNotNull());
            assertThat(d.pending()).isLessThanOrEqualTo(junk.length);
        } catch (CodecException expected) {
            assertThat(expected.getMessage()).contains("cbor");
        }
    }
}
