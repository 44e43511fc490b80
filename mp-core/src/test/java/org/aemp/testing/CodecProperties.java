package org.aemp.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.aemp.spi.Codec;
import org.aemp.spi.CodecException;
import org.aemp.spi.FrameDecoder;
import org.aemp.spi.FrameEncoder;

/**
 * Properties every codec satisfies (jqwik): any plain message round trips; a stream of messages
 * split at arbitrary points decodes to the same messages; arbitrary bytes decode or fail with a
 * {@link CodecException}, never anything else.
 */
public abstract class CodecProperties {

    protected abstract Codec codec();

    protected Object expected(Object sent) {
        return CodecSupport.perlView(sent);
    }

    @Provide
    Arbitrary<List<Object>> messages() {
        return CodecSupport.message();
    }

    @Property(tries = 300)
    void anyMessageRoundTrips(@ForAll("messages") List<Object> message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec().newEncoder().encode(message, out);
        List<List<Object>> got = new ArrayList<>();
        codec().newDecoder(1 << 24).decode(ByteBuffer.wrap(out.toByteArray()), got::add);
        assertThat(got).isEqualTo(List.of(expected(message)));
    }

    @Property(tries = 200)
    void splittingTheStreamAnywhereChangesNothing(@ForAll("messages") List<Object> a,
            @ForAll("messages") List<Object> b, @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 10_000) Integer> cuts)
            throws IOException {
        FrameEncoder e = codec().newEncoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        e.encode(a, out);
        e.encode(b, out);
        byte[] stream = out.toByteArray();
        List<Integer> points = new ArrayList<>();
        for (int c : cuts) {
            points.add(c % (stream.length + 1));
        }
        points.add(0);
        points.add(stream.length);
        points.sort(null);
        FrameDecoder d = codec().newDecoder(1 << 24);
        List<List<Object>> got = new ArrayList<>();
        for (int i = 1; i < points.size(); i++) {
            d.decode(ByteBuffer.wrap(stream, points.get(i - 1), points.get(i) - points.get(i - 1)), got::add);
        }
        assertThat(got).isEqualTo(List.of(expected(a), expected(b)));
    }

    @Property(tries = 500)
    void arbitraryBytesDecodeOrFailWithACodecException(@ForAll @Size(max = 64) byte[] junk) {
        FrameDecoder d = codec().newDecoder(4096);
        try {
            d.decode(ByteBuffer.wrap(junk), m -> assertThat(m).isInstanceOf(List.class));
        } catch (CodecException expected) {
            assertThat(expected.getMessage()).contains(codec().name());
        }
    }
}
