package org.aemp.internal;

import java.nio.charset.StandardCharsets;

/**
 * Text that came from a peer, made safe for a log line: printable ASCII stays as it is, a
 * backslash is doubled, and every other character (line ends, escape sequences, other control
 * characters, bidirectional overrides, anything outside ASCII) is written as {@code \xNN} or
 * {@code \}{@code u{NNNN}}, so that no peer can start a fake log line or hide text. Long text is
 * clipped. The escaping happens in {@link #toString()}, so a disabled log level costs nothing.
 *
 * <p>Immutable and thread-safe.
 */
public final class SafeText {
    /** The most characters of peer text a log line shows. */
    static final int MAX = 200;

    private final Object value;

    private SafeText(Object value) {
        this.value = value;
    }

    /** Wraps a value for a log argument; {@code byte[]} is shown byte by byte. */
    public static SafeText of(Object value) {
        return new SafeText(value);
    }

    /** The escaped text of {@code value}, at most {@link #MAX} characters of it. */
    public static String escape(Object value) {
        if (value instanceof byte[] bytes) {
            return escape(new String(bytes, StandardCharsets.ISO_8859_1));
        }
        String s = String.valueOf(value);
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX) + 8);
        int shown = 0;
        for (int i = 0; i < s.length(); ) {
            if (shown++ == MAX) {
                b.append("...(").append(s.length()).append(" chars)");
                break;
            }
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\\') {
                b.append("\\\\");
            } else if (c >= 0x20 && c < 0x7f) {
                b.append((char) c);
            } else if (c < 0x100) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.append("\\u{").append(Integer.toHexString(c)).append('}');
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return escape(value);
    }
}
