package org.aemp.internal.global;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Database values compared and copied the way the Perl global service treats them. */
final class Values {
    private Values() {
    }

    /**
     * AEMP's {@code sv_eq}: scalars compare as Perl strings (so {@code 1} equals {@code "1"}),
     * null only equals null, lists and maps compare element by element.
     */
    static boolean same(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                return false;
            }
            Iterator<?> ia = la.iterator();
            Iterator<?> ib = lb.iterator();
            while (ia.hasNext()) {
                if (!same(ia.next(), ib.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (ma.size() != mb.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                if (!mb.containsKey(e.getKey()) || !same(e.getValue(), mb.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List || a instanceof Map || b instanceof List || b instanceof Map) {
            return false;
        }
        return perlString(a).equals(perlString(b));
    }

    /** How Perl would print a scalar: integral numbers without a fraction, booleans as 1 and "". */
    static String perlString(Object v) {
        if (v instanceof Boolean b) {
            return b ? "1" : "";
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString((long) d);
            }
            return BigDecimal.valueOf(d).stripTrailingZeros().toString();
        }
        return String.valueOf(v);
    }

    /** A deep copy of a value, so that what was sent cannot change under the receiver. */
    static Object copy(Object v) {
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(copy(o));
            }
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(k, copy(val)));
            return out;
        }
        return v;
    }

    /** {@code family -> key -> value} deep-copied, as sent in {@code g_slave} and {@code g_set}. */
    static Map<String, Object> copyDb(Map<String, Map<String, Object>> db) {
        Map<String, Object> out = new LinkedHashMap<>();
        db.forEach((f, keys) -> out.put(f, copy(keys)));
        return out;
    }

    /** Reads a {@code {key: value}} map off the wire; null (or anything else) is empty. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), val));
            return out;
        }
        return new LinkedHashMap<>();
    }

    /** Reads a list of keys off the wire; null (or anything else) is empty. */
    static List<String> keys(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                out.add(perlString(o));
            }
        }
        return out;
    }
}
