package org.aemp.codec.kryo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.aemp.spi.Codec;
import org.aemp.spi.CodecException;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.FrameDecoder;
import org.aemp.testing.CodecProperties;

class KryoCodecProperties extends CodecProperties {
    private final KryoCodec codec = new KryoCodec();

    @Override
    protected Codec codec() {
        return codec;
    }

    /** Kryo keeps every type it was given (the generated messages hold no byte[]). */
    @Override
    protected Object expected(Object sent) {
        return sent;
    }

    /** Random bodies behind a correct length prefix reach Kryo itself, and still fail only as CodecException. */
    @Property(tries = 2000)
    void randomBodiesDecodeOrFailWithACodecException(@ForAll @Size(min = 1, max = 100) byte[] body) {
        byte[] frame = new byte[body.length + 1];
        frame[0] = (byte) body.length;
        System.arraycopy(body, 0, frame, 1, body.length);
        FrameDecoder d = codec.newDecoder(DecodeLimits.of(4096));
        try {
            d.decode(ByteBuffer.wrap(frame), (m, n) -> assertThat(m).isNotNull());
            assertThat(d.pending()).isZero();
        } catch (CodecException expected) {
            assertThat(expected.getMessage()).contains("kryo");
        }
    }
}
