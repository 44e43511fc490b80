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
import java.util.List;
import java.util.Map;
import org.aemp.spi.CodecException;
import org.aemp.spi.FrameEncoder;

/**
 * Writes messages as JSON arrays with no separator. One generator is kept for the connection and
 * pointed at each call's output stream, so encoding allocates little. Not thread-safe.
 */
final class JsonFrameEncoder implements FrameEncoder {
    private final Redirect target = new Redirect();
    private final JsonGenerator generator;

    JsonFrameEncoder(JsonFactory factory) {
        try {
            this.generator = factory.createGenerator(target, JsonEncoding.UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        generator.setRootValueSeparator(null);
    }

    @Override
    public void encode(List<?> message, OutputStream out) throws IOException {
        target.out = out;
        try {
            writeArray(message, 0);
            generator.flush();
        } finally {
            target.out = null;
        }
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
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new CodecException("json: cannot encode " + d + ": Perl's JSON::XS cannot read NaN or infinity");
            }
            generator.writeNumber(d);
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
            generator.writeNumber(n.toString());
        } else {
            throw new CodecException("json: cannot encode a value of type " + v.getClass().getName()
                    + "; messages hold only null, String, Boolean, Number, byte[], List and Map<String, ?>");
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

    private static void checkDepth(int depth) {
        if (depth > 512) {
            throw new CodecException("json: cannot encode a value nested more than 512 levels deep");
        }
    }

    /** The stream the generator writes to: whatever the current call passed. */
    private static final class Redirect extends OutputStream {
        OutputStream out;

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }
    }
}
