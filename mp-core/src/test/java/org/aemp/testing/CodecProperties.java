package org.aemp.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.aemp.spi.Codec;
import org.aemp.spi.CodecException;
import org.aemp.spi.DecodeLimits;
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
        codec().newDecoder(DecodeLimits.of(1 << 24)).decode(ByteBuffer.wrap(out.toByteArray()), (m, n) -> got.add(m));
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
        FrameDecoder d = codec().newDecoder(DecodeLimits.of(1 << 24));
        List<List<Object>> got = new ArrayList<>();
        for (int i = 1; i < points.size(); i++) {
            d.decode(ByteBuffer.wrap(stream, points.get(i - 1), points.get(i) - points.get(i - 1)),
                    (m, n) -> got.add(m));
        }
        assertThat(got).isEqualTo(List.of(expected(a), expected(b)));
    }

    @Property(tries = 500)
    void arbitraryBytesDecodeOrFailWithACodecException(@ForAll @Size(max = 64) byte[] junk) {
        FrameDecoder d = codec().newDecoder(DecodeLimits.of(4096));
        try {
            d.decode(ByteBuffer.wrap(junk), (m, n) -> assertThat(m).isInstanceOf(List.class));
        } catch (CodecException expected) {
            assertThat(expected.getMessage()).contains(codec().name());
        }
    }

    /**
     * Any byte stream, cut anywhere, in heap or direct chunks, under small limits: only
     * CodecExceptions, no message over the limits, and the budget given back at the end.
     */
    @Property(tries = 500)
    void anyStreamFailsOnlyWithACodecExceptionAndWithinTheLimits(@ForAll("streams") byte[] stream,
            @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 2_000) Integer> cuts, @ForAll boolean direct,
            @ForAll @IntRange(min = 1, max = 40) int maxElements, @ForAll @IntRange(min = 8, max = 400) int maxLength) {
        DecodeLimits limits = DecodeLimits.of(maxLength, maxElements, 300);
        FrameDecoder d = codec().newDecoder(limits);
        List<Integer> points = new ArrayList<>();
        for (int c : cuts) {
            points.add(c % (stream.length + 1));
        }
        points.add(0);
        points.add(stream.length);
        points.sort(null);
        try {
            for (int i = 1; i < points.size(); i++) {
                int from = points.get(i - 1);
                int n = points.get(i) - from;
                ByteBuffer chunk = direct ? ByteBuffer.allocateDirect(n).put(stream, from, n).flip()
                        : ByteBuffer.wrap(stream, from, n);
                d.decode(chunk, (m, size) -> {
                    assertThat(size).isBetween(1, maxLength);
                    assertThat(CodecSupport.elements(m)).isLessThanOrEqualTo(maxElements);
                });
            }
        } catch (CodecException expected) {
            assertThat(expected.getMessage()).startsWith(codec().name() + ": ");
            assertThat(limits.bufferedBytes()).isZero();
        }
        d.close();
        assertThat(limits.bufferedBytes()).isZero();
    }

    /** Valid messages, some of them with a byte changed, or random bytes. */
    @Provide
    Arbitrary<byte[]> streams() {
        Arbitrary<byte[]> valid = CodecSupport.message().list().ofMaxSize(3).map(this::encodeAll);
        Arbitrary<byte[]> corrupted = Combinators.combine(valid, Arbitraries.integers().between(0, 1 << 16),
                Arbitraries.bytes()).as((b, at, v) -> {
                    if (b.length > 0) {
                        b[at % b.length] = v;
                    }
                    return b;
                });
        return Arbitraries.oneOf(valid, corrupted, Arbitraries.bytes().array(byte[].class).ofMaxSize(200));
    }

    private byte[] encodeAll(List<List<Object>> messages) {
        FrameEncoder e = codec().newEncoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (List<Object> m : messages) {
                e.encode(m, out);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** The element limit is exact: a message decodes with a limit of its value count, and fails with one less. */
    @Property(tries = 200)
    void theElementLimitIsExact(@ForAll("messages") List<Object> message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec().newEncoder().encode(message, out);
        int values = (int) CodecSupport.elements(message);
        List<List<Object>> got = new ArrayList<>();
        codec().newDecoder(DecodeLimits.of(1 << 24, values, 1 << 24)).decode(ByteBuffer.wrap(out.toByteArray()),
                (m, n) -> got.add(m));
        assertThat(got).hasSize(1);
        if (values > 1) {
            FrameDecoder d = codec().newDecoder(DecodeLimits.of(1 << 24, values - 1, 1 << 24));
            assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(out.toByteArray()), (m, n) -> { }))
                    .isInstanceOf(CodecException.class).hasMessageContaining("(limit max_frame_elements)");
        }
    }
}
