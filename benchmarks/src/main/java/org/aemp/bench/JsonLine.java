package org.aemp.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.aemp.config.PrettyJson;

/**
 * Writes one JSON object on one line with its keys sorted, as the Perl peers' JSON::XS
 * ({@code canonical}) does, so that Java and Perl output lines compare as text. Values are
 * null, Boolean, Number, String, List and Map with String keys.
 */
final class JsonLine {
    private JsonLine() {
    }

    static String of(Map<String, ?> object) {
        StringBuilder out = new StringBuilder(256);
        write(object, out);
        return out.toString();
    }

    private static void write(Object v, StringBuilder out) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Boolean || v instanceof Number) {
            out.append(v);
        } else if (v instanceof Map<?, ?> map) {
            out.append('{');
            String sep = "";
            for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
                out.append(sep);
                PrettyJson.string(out, String.valueOf(e.getKey()));
                out.append(':');
                write(e.getValue(), out);
                sep = ",";
            }
            out.append('}');
        } else if (v instanceof List<?> list) {
            out.append('[');
            String sep = "";
            for (Object o : list) {
                out.append(sep);
                write(o, out);
                sep = ",";
            }
            out.append(']');
        } else {
            PrettyJson.string(out, v.toString());
        }
    }
}
