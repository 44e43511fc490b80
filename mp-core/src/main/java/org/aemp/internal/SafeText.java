package org.aemp.internal;

import java.nio.charset.StandardCharsets;

/**
 * Text that came from a peer, made safe for a log line or an error message: control characters
 * (line ends, escape sequences, NUL) become {@code \xNN}, and other invisible code points (format
 * characters such as bidirectional overrides, line separators, unpaired surrogates, unassigned
 * and private-use code points) become <code>&#92;u{NNNN}</code>; letters of any script stay. So a
 * hostile peer can neither forge log lines nor reach an operator's terminal with raw bytes. Long
 * text is clipped. {@link #of} escapes lazily, in {@code toString()}, so a disabled log level costs
 * nothing.
 *
 * <p>Immutable and thread-safe.
 */
public final class SafeText {
    /** The most characters of peer text a log line shows. */
    public static final int MAX = 200;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Object value;

    private SafeText(Object value) {
        this.value = value;
    }

    /** Wraps a value for a log argument; {@code byte[]} is shown byte by byte. */
    public static SafeText of(Object value) {
        return new SafeText(value);
    }

    /** The escaped text of {@code value}, cut after {@link #MAX} characters. */
    public static String escape(Object value) {
        return escape(value, MAX);
    }

    /** The escaped text of {@code value}, cut with {@code ...} once the output reaches {@code max} characters. */
    public static String escape(Object value, int max) {
        String text = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1)
                : String.valueOf(value);
        StringBuilder b = new StringBuilder(Math.min(text.length(), max) + 8);
        for (int i = 0; i < text.length(); ) {
            if (b.length() >= max) {
                return b.append("...").toString();
            }
            int cp = text.codePointAt(i);
            if (isVisible(cp)) {
                b.appendCodePoint(cp);
            } else if (cp < 0x100) {
                b.append("\\x").append(HEX[cp >> 4]).append(HEX[cp & 0xf]);
            } else {
                b.append("\\u{").append(Integer.toHexString(cp)).append('}');
            }
            i += Character.charCount(cp);
        }
        return b.toString();
    }

    private static boolean isVisible(int cp) {
        if (cp >= 0x20 && cp < 0x7f) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    @Override
    public String toString() {
        return escape(value);
    }
}
