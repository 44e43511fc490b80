package org.aemp.cli;

import java.util.List;
import java.util.Map;
import org.aemp.config.PerlValues;
import org.aemp.config.PrettyJson;

/**
 * How {@code aemp} turns command-line values into text and lists the way Perl's {@code aemp} does.
 * A value is a plain JSON value ({@link String}, {@link Number}, {@link Boolean}, {@code null},
 * {@link List}, {@link Map}), since JSON-form arguments can be any of them. Stateless and
 * thread-safe.
 */
final class Words {
    private Words() {
    }

    /**
     * Perl's string form of a scalar: a string as it is, {@code null} (undef) as the empty string,
     * numbers as Perl prints them ({@code 4040}, {@code 12.5}, {@code 1e+20}), booleans as
     * {@code 1} and {@code 0} (JSON::XS booleans stringify so). Arrays and objects, which Perl
     * would show as {@code ARRAY(0x…)}, are shown as one-line JSON.
     */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Boolean b) {
            return b ? "1" : "0";
        }
        return PrettyJson.write(value).strip().replaceAll("\\s*\\n\\s*", " ");
    }

    /** True for values Perl holds as a reference: arrays, objects and (JSON::XS) booleans. */
    static boolean isReference(Object value) {
        return value instanceof List || value instanceof Map || value instanceof Boolean;
    }

    /**
     * A list argument of {@code setseeds}, {@code setbinds} and {@code setservices}, as Perl's
     * {@code ref $list ? $list : [split /,/, $list]}: an array, object or boolean (a reference in
     * Perl) is stored as given, unchecked; any other value is turned into text and split at every
     * comma, keeping empty pieces except at the end ({@code ",a,,b,,"} gives
     * {@code ["", "a", "", "b"]}; {@code ""} and {@code null} give {@code []}). A JSON string is
     * split like a plain word, and a number gives its text ({@code 4040} gives {@code ["4040"]}).
     */
    static Object listArgument(Object value) {
        return isReference(value) ? value : PerlValues.splitComma(text(value));
    }

    /**
     * Perl's {@code $a eq $b} as {@code aemp} uses it to find list entries: two scalars are equal
     * if their texts are; an array or object (a reference) equals only itself, so it never
     * matches a value typed on the command line.
     */
    static boolean perlEquals(Object a, Object b) {
        if (a instanceof List || a instanceof Map || b instanceof List || b instanceof Map) {
            return a == b;
        }
        return text(a).equals(text(b));
    }

    /** A shortened, one-line form of a word for error messages. */
    static String quote(Object value) {
        String t = value instanceof String s ? s : text(value);
        if (t.length() > 40) {
            t = t.substring(0, 37) + "...";
        }
        return "'" + t + "'";
    }
}
