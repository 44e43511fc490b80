package org.aemp.codec.json;

import org.aemp.spi.Codec;
import org.aemp.testing.CodecProperties;

class JsonCodecProperties extends CodecProperties {
    private final JsonCodec codec = new JsonCodec();

    @Override
    protected Codec codec() {
        return codec;
    }
}
