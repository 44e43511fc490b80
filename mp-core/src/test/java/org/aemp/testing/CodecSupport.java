package org.aemp.testing;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Value generators and normalisation shared by the codec tests. */
public final class CodecSupport {
    private CodecSupport() {
    }

    /** What a value looks like after a trip through a Perl-compatible framing (JSON, CBOR). */
    public static Object perlView(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        if (v instanceof Long l) {
            return l == l.intValue() ? (Object) l.intValue() : l;
        }
        if (v instanceof BigInteger b) {
            if (b.bitLength() < 32) {
                return b.intValue();
            }
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        if (v instanceof Float || v instanceof Double || v instanceof BigDecimal) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                out.add(perlView(o));
            }
            return out;
        }
        if (v instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, val) -> out.put(k, perlView(val)));
            return out;
        }
        return v;
    }

    /**
     * The value with every {@code byte[]} replaced by a {@link Bytes}, which compares by content, so
     * that decoded messages holding byte arrays (as Kryo's do) can be compared with {@code equals}.
     * Lists and maps are copied element by element; everything else is returned as it is.
     */
    public static Object comparable(Object v) {
        if (v instanceof byte[] bytes) {
            return new Bytes(HexFormat.of().formatHex(bytes));
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                out.add(comparable(o));
            }
            return out;
        }
        if (v instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, val) -> out.put(k, comparable(val)));
            return out;
        }
        return v;
    }

    /**
     * The values a message decodes to, as {@link org.aemp.spi.DecodeLimits#maxElements()} counts
     * them: the value itself, and for a list each element, for a map each key and each value, all
     * the way down.
     */
    public static long elements(Object v) {
        long n = 1;
        if (v instanceof List<?> list) {
            for (Object o : list) {
                n += elements(o);
            }
        } else if (v instanceof Map<?, ?> map) {
            for (Object o : map.values()) {
                n += 1 + elements(o);
            }
        }
        return n;
    }

    /** A byte array's content, as hex, for {@link #comparable}. */
    public record Bytes(String hex) {
    }

    /** Text without lone surrogates (which no UTF-8 framing can carry), including astral characters. */
    public static Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\ud7ff').withCharRange('\ue000', '\ufffd').ofMaxLength(20),
                Arbitraries.of("", "☺", "𝄞 clef", "ü", "\u0000", "a\"b\\c"));
    }

    /** Plain AEMP values nested up to {@code depth} levels. */
    public static Arbitrary<Object> value(int depth) {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                text().map(s -> s),
                Arbitraries.integers().map(i -> i),
                Arbitraries.longs().map(l -> l),
                Arbitraries.doubles().filter(d -> !Double.isNaN(d) && !Double.isInfinite(d)).map(d -> d),
                Arbitraries.of(true, false).map(b -> b),
                Arbitraries.just(null));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<Object> inner = value(depth - 1);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, scalar),
                net.jqwik.api.Tuple.of(1, inner.list().ofMaxSize(4).map(l -> (Object) l)),
                net.jqwik.api.Tuple.of(1, Arbitraries.maps(text(), inner).ofMaxSize(4).map(m -> (Object) m)));
    }

    /** Messages: a port name and up to 6 plain values. */
    public static Arbitrary<List<Object>> message() {
        return value(3).list().ofMaxSize(6).flatMap(body -> text().map(port -> {
            List<Object> m = new ArrayList<>();
            m.add(port);
            m.addAll(body);
            return m;
        }));
    }
}
