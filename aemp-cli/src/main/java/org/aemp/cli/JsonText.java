package org.aemp.cli;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.aemp.config.PrettyJson;

/**
 * The JSON that Perl's {@code aemp} prints for message values, written the way JSON::XS writes it:
 * {@link #list compact lists} for {@code cal} and {@code eval} ({@code "rpc_reply","hello",[1,{"a":null}]})
 * and {@link #prettyAscii pretty, ASCII-only} text for {@code shell}. Numbers look as Perl prints them
 * ({@code 1795624247.94335}, not {@code 1.79E9}); keys keep the map's order (Perl's is random).
 * {@code byte[]} is written as a string of one character per byte (Perl has no byte type), and
 * values of other types that are not plain JSON values as their {@code toString()}. Stateless and
 * thread-safe.
 */
final class JsonText {
    private JsonText() {
    }

    /**
     * A message as {@code cal} and {@code eval} print it: the compact JSON array without its outer
     * brackets, so an empty list gives the empty string.
     */
    static String list(List<?> values) {
        String array = compact(values);
        return array.substring(1, array.length() - 1);
    }

    /** Compact JSON (JSON::XS's {@code encode} without options). */
    static String compact(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    /**
     * Pretty JSON with every non-ASCII character escaped as <code>&#92;uXXXX</code> (JSON::XS
     * {@code pretty->ascii}), ending in a newline, as the shell prints results.
     */
    static String prettyAscii(Object value) {
        String text;
        try {
            text = PrettyJson.write(value);
        } catch (IllegalArgumentException e) {
            text = PrettyJson.write(String.valueOf(value));
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0x7f) {
                // a supplementary character is two chars here, escaped as a surrogate pair, as JSON::XS does
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(out, list.get(i));
            }
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                scalar(out, String.valueOf(e.getKey()));
                out.append(':');
                write(out, e.getValue());
                if (it.hasNext()) {
                    out.append(',');
                }
            }
            out.append('}');
        } else {
            scalar(out, value);
        }
    }

    /** A scalar through the rc file's writer, so strings and numbers are escaped and formatted as Perl does. */
    private static void scalar(StringBuilder out, Object value) {
        Object v = value == null || value instanceof String || value instanceof Boolean || value instanceof Number
                ? value
                : value instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(value);
        String text;
        try {
            text = PrettyJson.write(v);
        } catch (IllegalArgumentException e) {
            text = PrettyJson.write(String.valueOf(v)); // NaN or infinity: Perl would print its own text
        }
        out.append(text, 0, text.length() - 1); // without the newline the writer ends with
    }
}
