package org.aemp.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes plain values as Perl's {@code JSON::XS->new->pretty->encode} does, character for
 * character, so that the rc file and the output of {@code aemp showprofile}/{@code showconfig}
 * look the same from Java and from Perl:
 *
 * <pre>{@code
 * {
 *    "version" : 1,
 *    "seeds" : [
 *       "127.0.0.1:4040"
 *    ],
 *    "profile" : {}
 * }
 * }</pre>
 *
 * Three spaces per level, {@code " : "} between key and value, {@code []} and {@code {}} for
 * empty containers, and a newline after the top-level value. Strings escape {@code "} and
 * {@code \}, write {@code \b \t \n \f \r} short and other characters below U+0020 as
 * <code>&#92;u00XX</code> (lower-case hex); everything else, DEL and non-ASCII included, is written as is.
 * Doubles are written as C's {@code %.15g} writes them ({@code 0.1}, {@code 3}, {@code 1e-05},
 * {@code 1e+20}), as Perl prints its floating-point numbers.
 *
 * <p>Perl writes hash keys in its (random) hash order; we write them in the map's iteration order,
 * so a {@link java.util.LinkedHashMap} read from a file is written back in file order.
 *
 * <p>Accepted values: {@code null}, {@link String}, {@link Boolean}, {@link Number} (finite),
 * {@link List}, and {@link Map} with {@link String} keys. Stateless and thread-safe.
 */
public final class PrettyJson {
    private static final String INDENT = "   ";
    private static final MathContext PERL_NV_DIGITS = new MathContext(15, RoundingMode.HALF_EVEN);

    private PrettyJson() {
    }

    /**
     * The pretty JSON text of {@code value}, ending in one newline.
     *
     * @throws IllegalArgumentException if the tree holds a value of another type, a non-string
     *     key, a non-finite double, or is nested deeper than 512 levels; the message gives the path
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0, "$");
        return out.append('\n').toString();
    }

    private static void write(StringBuilder out, Object value, int depth, String path) {
        if (depth > RelaxedJsonReader.MAX_DEPTH) {
            throw new IllegalArgumentException("cannot write JSON nested deeper than "
                    + RelaxedJsonReader.MAX_DEPTH + " levels at " + path);
        }
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Number n) {
            out.append(number(n, path));
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append("{\n");
            Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("cannot write a JSON object key that is not a string at "
                            + path + ": " + e.getKey());
                }
                indent(out, depth + 1);
                string(out, key);
                out.append(" : ");
                write(out, e.getValue(), depth + 1, path + "." + key);
                out.append(it.hasNext() ? ",\n" : "\n");
            }
            indent(out, depth);
            out.append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                indent(out, depth + 1);
                write(out, list.get(i), depth + 1, path + "[" + i + "]");
                out.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            indent(out, depth);
            out.append(']');
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName()
                    + " as JSON at " + path + "; expected null, String, Boolean, Number, List or Map");
        }
    }

    private static void indent(StringBuilder out, int depth) {
        for (int i = 0; i < depth; i++) {
            out.append(INDENT);
        }
    }

    /** Appends {@code s} as a JSON string, escaped as JSON::XS escapes it. */
    public static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Integers as decimal digits, floating-point values as Perl (C's %.15g) prints them. */
    static String number(Number n, String path) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger) {
            return n.toString();
        }
        if (n instanceof BigDecimal bd) {
            // all digits kept (the reader makes these only for numbers beyond a double's range)
            return formatG(bd);
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("cannot write the non-finite number " + d + " as JSON at " + path);
        }
        return formatG15(d);
    }

    /** C's {@code printf("%.15g", d)} for a finite double. */
    static String formatG15(double d) {
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        return formatG(new BigDecimal(d).round(PERL_NV_DIGITS));
    }

    /** {@code %g} layout without rounding: plain for exponents -4 to 14, else {@code 1.5e+20}. */
    private static String formatG(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        BigDecimal v = value.stripTrailingZeros();
        int exponent = v.precision() - v.scale() - 1;
        if (exponent < -4 || exponent >= 15) {
            String mantissa = v.movePointLeft(exponent).toPlainString();
            int abs = Math.abs(exponent);
            return mantissa + "e" + (exponent < 0 ? "-" : "+") + (abs < 10 ? "0" : "") + abs;
        }
        return v.toPlainString();
    }
}

