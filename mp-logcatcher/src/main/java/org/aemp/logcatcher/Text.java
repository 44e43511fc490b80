package org.aemp.logcatcher;

/**
 * Makes text that came off the network safe to log: control characters become {@code \xNN} (so a
 * peer cannot forge log lines with newlines or terminal escapes), U+2028 and U+2029 become
 * {@code \x{2028}} and {@code \x{2029}}, and the result is cut to a length, with a note of how much
 * was cut. Stateless.
 */
final class Text {
    private Text() {
    }

    /** {@code value}'s text, escaped and cut to {@code max} characters of input. */
    static String safe(String value, int max) {
        int end = Math.min(value.length(), max);
        if (end > 0 && end < value.length() && Character.isHighSurrogate(value.charAt(end - 1))) {
            end--; // never cut a surrogate pair in half
        }
        StringBuilder b = null;
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            String escape = escape(c);
            if (escape != null && b == null) {
                b = new StringBuilder(end + 16).append(value, 0, i);
            }
            if (b != null) {
                if (escape != null) {
                    b.append(escape);
                } else {
                    b.append(c);
                }
            }
        }
        String s = b != null ? b.toString() : end == value.length() ? value : value.substring(0, end);
        return end < value.length() ? s + "...[" + (value.length() - end) + " more chars]" : s;
    }

    private static String escape(char c) {
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            return String.format("\\x%02x", (int) c);
        } else if (c == '\u2028' || c == '\u2029') {
            return String.format("\\x{%04x}", (int) c);
        }
        return null;
    }

    /**
     * A scalar from the wire as text: strings as they are, numbers and booleans printed, null as
     * the empty string; null for anything else (lists, maps, byte arrays).
     */
    static String scalar(Object value) {
        if (value == null) {
            return "";
        } else if (value instanceof String s) {
            return s;
        } else if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return null;
    }

    /** A short description of a value from the wire, for warnings: its type and a cut, escaped rendering. */
    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        return value.getClass().getSimpleName() + " " + safe(String.valueOf(value), 60);
    }
}
