package org.aemp.codec.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.aemp.spi.CodecException;
import org.aemp.spi.FrameEncoder;

/**
 * Writes messages as JSON arrays with no separator. One generator is kept for the connection; it
 * writes into a buffer also kept for the connection, and a message goes to the call's output
 * stream with one write once it is complete, so a message that fails to encode writes nothing.
 * After a failure the generator, which may hold half a message, is replaced, and the encoder
 * stays usable. Not thread-safe.
 */
final class JsonFrameEncoder implements FrameEncoder {
    /** Deepest nesting of arrays and objects written, as JSON::XS's default {@code max_depth}. */
    static final int MAX_DEPTH = 512;

    private final JsonFactory factory;
    private final Buffer target = new Buffer();
    private JsonGenerator generator;

    JsonFrameEncoder(JsonFactory factory) {
        this.factory = factory;
        this.generator = newGenerator();
    }

    private JsonGenerator newGenerator() {
        try {
            JsonGenerator g = factory.createGenerator(target, JsonEncoding.UTF8);
            g.setRootValueSeparator(null);
            return g;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void encode(List<?> message, OutputStream out) throws IOException {
        target.reset();
        try {
            writeArray(message, 0);
            generator.flush();
        } catch (CodecException e) {
            discard();
            throw e;
        } catch (IOException | RuntimeException e) { // a message changed while it was written, or a bug
            discard();
            throw new CodecException("json: cannot encode: " + e, e);
        }
        try {
            out.write(target.bytes, 0, target.count);
        } finally {
            target.reset();
        }
    }

    /** Forgets the half-written message: the generator's state and buffered bytes, and ours. */
    private void discard() {
        JsonGenerator broken = generator;
        generator = newGenerator();
        try {
            broken.close(); // returns its buffer to the factory's pool; whatever it flushes is dropped below
        } catch (IOException | RuntimeException ignored) {
            // it wrote only into our buffer
        }
        target.reset();
    }

    private void write(Object v, int depth) throws IOException {
        if (v == null) {
            generator.writeNull();
        } else if (v instanceof String s) {
            generator.writeString(s);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            generator.writeNumber(((Number) v).longValue());
        } else if (v instanceof Boolean b) {
            generator.writeBoolean(b);
        } else if (v instanceof Double d) {
            checkFinite(v, d);
            generator.writeNumber(d);
        } else if (v instanceof Float f) {
            checkFinite(v, f);
            generator.writeNumber(f); // its shortest text: 0.1f is 0.1, not the double 0.10000000149011612
        } else if (v instanceof BigInteger b) {
            generator.writeNumber(b);
        } else if (v instanceof BigDecimal b) {
            generator.writeNumber(b);
        } else if (v instanceof byte[] bytes) {
            generator.writeString(new String(bytes, StandardCharsets.ISO_8859_1));
        } else if (v instanceof List<?> list) {
            writeArray(list, depth + 1);
        } else if (v instanceof Map<?, ?> map) {
            checkDepth(depth + 1);
            generator.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new CodecException("json: cannot encode a map key of type "
                            + (e.getKey() == null ? "null" : e.getKey().getClass().getName()) + "; keys must be strings");
                }
                generator.writeFieldName(key);
                write(e.getValue(), depth + 1);
            }
            generator.writeEndObject();
        } else if (v instanceof Number n) {
            writeOtherNumber(n);
        } else {
            throw new CodecException("json: cannot encode a value of type " + v.getClass().getName()
                    + "; messages hold only null, String, Boolean, Number, byte[], List and Map<String, ?>");
        }
    }

    private static void checkFinite(Object v, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new CodecException("json: cannot encode " + v + ": Perl's JSON::XS cannot read NaN or infinity");
        }
    }

    /**
     * Another Number (AtomicLong, DoubleAdder, ...) by its text, which must be a number: NaN,
     * infinities and anything else JSON has no number for are refused. The text is written as
     * {@link BigDecimal} prints it, so a form Java accepts but JSON does not ({@code +5},
     * {@code .5}) is written as a JSON number.
     */
    private void writeOtherNumber(Number n) throws IOException {
        String text = n.toString();
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException notANumber) {
            throw new CodecException("json: cannot encode the " + n.getClass().getName() + " " + text
                    + ": not a finite number (Perl's JSON::XS cannot read NaN or infinity)");
        }
        if (value.scale() == 0) {
            generator.writeNumber(value.unscaledValue());
        } else {
            generator.writeNumber(value);
        }
    }

    private void writeArray(List<?> list, int depth) throws IOException {
        checkDepth(depth);
        generator.writeStartArray();
        for (int i = 0, n = list.size(); i < n; i++) {
            write(list.get(i), depth);
        }
        generator.writeEndArray();
    }

    /** {@code depth} counts from 0 for the message array, so at most {@value #MAX_DEPTH} levels in all. */
    private static void checkDepth(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new CodecException("json: cannot encode a value nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    /** Where the generator writes: the bytes of the message being encoded. */
    private static final class Buffer extends OutputStream {
        private static final int KEEP = 64 * 1024; // largest buffer kept between messages

        byte[] bytes = new byte[512];
        int count;

        @Override
        public void write(int b) {
            ensure(1);
            bytes[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, count, len);
            count += len;
        }

        void reset() {
            count = 0;
            if (bytes.length > KEEP) {
                bytes = new byte[512];
            }
        }

        private void ensure(int more) {
            if (bytes.length - count < more) {
                long want = Math.max((long) count + more, 2L * bytes.length);
                if (want > Integer.MAX_VALUE - 16) {
                    if ((long) count + more > Integer.MAX_VALUE - 16) {
                        throw new CodecException("json: message too large to encode");
                    }
                    want = Integer.MAX_VALUE - 16;
                }
                bytes = Arrays.copyOf(bytes, (int) want);
            }
        }
    }
}
