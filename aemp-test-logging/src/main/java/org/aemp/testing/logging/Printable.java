package org.aemp.testing.logging;

/**
 * Makes text safe to print on a console: printable ASCII, tabs and ordinary Unicode characters
 * (letters, digits, symbols, punctuation, spaces) stay; control characters, line ends included,
 * become {@code \xNN}, and other invisible code points (format characters, unpaired surrogates,
 * private-use and unassigned ones, line and paragraph separators) become <code>&#92;u{NNNN}</code>. A log
 * line that quotes a peer's bytes thus stays one line of text. Backslashes are not doubled: the
 * result is for reading, not for parsing back. Thread-safe (stateless).
 */
final class Printable {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Printable() {
    }

    static String escape(CharSequence text) {
        StringBuilder b = null; // null until the first character that needs escaping
        int n = text.length();
        for (int i = 0; i < n; ) {
            int cp = Character.codePointAt(text, i);
            int width = Character.charCount(cp);
            boolean keep = isPrintable(cp);
            if (!keep && b == null) {
                b = new StringBuilder(n + 16).append(text, 0, i);
            }
            if (b != null) {
                if (keep) {
                    b.appendCodePoint(cp);
                } else if (cp < 0x100) {
                    b.append("\\x").append(HEX[cp >> 4]).append(HEX[cp & 0xf]);
                } else {
                    b.append("\\u{").append(Integer.toHexString(cp)).append('}');
                }
            }
            i += width;
        }
        return b == null ? text.toString() : b.toString();
    }

    private static boolean isPrintable(int cp) {
        if (cp == '\t' || (cp >= 0x20 && cp < 0x7f)) {
            return true;
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SURROGATE:
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                return false;
            default:
                return true;
        }
    }
}
