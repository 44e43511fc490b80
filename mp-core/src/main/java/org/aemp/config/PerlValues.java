package org.aemp.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Perl's view of rc file values. {@code aemp}'s set commands store plain words as JSON strings
 * ({@code aemp setsecure 1} writes {@code "secure" : "1"}, {@code aemp setmonitor_timeout 20}
 * writes {@code "20"}), and Perl does not mind, so neither may we. Stateless and thread-safe.
 */
public final class PerlValues {
    private PerlValues() {
    }

    /**
     * Perl truthiness: {@code null}, {@code false}, the empty string, the string {@code "0"} and
     * numeric zero are false; everything else is true, even the strings {@code "false"},
     * {@code "0.0"} and {@code " "}, and every array and object (a Perl reference is true).
     *
     * @param value a plain value; may be null
     */
    public static boolean isTrue(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            return !s.isEmpty() && !s.equals("0");
        }
        if (value instanceof Double || value instanceof Float) {
            // NaN is true in Perl, as is everything but zero
            return ((Number) value).doubleValue() != 0;
        }
        if (value instanceof BigDecimal bd) {
            return bd.signum() != 0;
        }
        if (value instanceof BigInteger bi) {
            return bi.signum() != 0;
        }
        if (value instanceof Number n) {
            return n.longValue() != 0;
        }
        return true;
    }

    /**
     * The value as a number if Perl would take it for one without a warning: a JSON number, or a
     * string holding a decimal number with optional sign, fraction and exponent, and optional
     * surrounding white space ({@code "20"}, {@code " 1.5 "}, {@code "1e3"}). Perl's
     * {@code "Inf"}/{@code "NaN"} and hexadecimal are not numbers here.
     *
     * @param value a plain value; may be null
     */
    public static Optional<BigDecimal> toNumber(Object value) {
        if (value instanceof String s) {
            String t = s.strip();
            if (t.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new BigDecimal(t));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        if (value instanceof BigDecimal bd) {
            return Optional.of(bd);
        }
        if (value instanceof BigInteger bi) {
            return Optional.of(new BigDecimal(bi));
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? Optional.of(new BigDecimal(d)) : Optional.empty();
        }
        if (value instanceof Number n) {
            return Optional.of(BigDecimal.valueOf(n.longValue()));
        }
        return Optional.empty();
    }

    /**
     * Perl's {@code split /,/, $s}: empty pieces are kept, except trailing ones ({@code ",a,,b,,"}
     * gives {@code ["", "a", "", "b"]}); {@code ""} and {@code ",,"} give nothing.
     *
     * @return a new, mutable list
     */
    public static List<String> splitComma(String s) {
        List<String> pieces = new ArrayList<>(List.of(s.split(",", -1)));
        while (!pieces.isEmpty() && pieces.get(pieces.size() - 1).isEmpty()) {
            pieces.remove(pieces.size() - 1);
        }
        return pieces;
    }

    /** A short description of a value's JSON type for error messages: "string", "number", "array"... */
    public static String typeName(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (value instanceof Number) {
            return "number";
        }
        if (value instanceof List) {
            return "array";
        }
        if (value instanceof Map) {
            return "object";
        }
        return value.getClass().getName();
    }

    /**
     * The type and, shortened to 60 characters, the one-line JSON text of a value, for error
     * messages: {@code number 4040}, {@code string "abc"}, {@code null}.
     */
    public static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String text;
        try {
            text = PrettyJson.write(value).strip().replaceAll("\\s*\\n\\s*", " ");
        } catch (IllegalArgumentException e) {
            text = String.valueOf(value);
        }
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        return typeName(value) + " " + text;
    }

    /**
     * A deep copy of a plain value tree: maps become {@link LinkedHashMap}s and lists
     * {@link ArrayList}s, both unmodifiable if {@code frozen}, mutable otherwise. Scalars are shared
     * (they are immutable).
     */
    static Object copy(Object value, boolean frozen) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("configuration keys must be strings: " + e.getKey());
                }
                out.put(key, copy(e.getValue(), frozen));
            }
            return frozen ? Collections.unmodifiableMap(out) : out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(copy(o, frozen));
            }
            return frozen ? Collections.unmodifiableList(out) : out;
        }
        return value;
    }

    /** {@link #copy} of a map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> copyMap(Map<String, ?> map, boolean frozen) {
        return (Map<String, Object>) copy(map, frozen);
    }
}
