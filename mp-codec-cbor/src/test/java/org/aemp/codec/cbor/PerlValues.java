package org.aemp.codec.cbor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Compares decoded messages with the JSON renderings Perl printed of them. */
final class PerlValues {
    private static final MathContext PERL_DIGITS = new MathContext(15);

    private PerlValues() {
    }

    /**
     * The value with every number as a BigDecimal of 15 significant digits. Perl prints numbers with
     * {@code %.15g}, so its JSON renderings hold at most that much: 2**53 went out in CBOR as the exact
     * float32 {@code 5a000000} but was printed as {@code 9.00719925474099e+15}. Integer or float is
     * also Perl's choice, not the value's ({@code -2**31} came as a float32), so only values count.
     */
    static Object normalize(Object v) {
        if (v instanceof Number n) {
            return new BigDecimal(n.toString()).round(PERL_DIGITS).stripTrailingZeros();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(PerlValues::normalize).toList();
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(k, normalize(val)));
            return out;
        }
        return v;
    }
}
