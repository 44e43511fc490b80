package org.aemp.internal.net;

/**
 * Makes text that came from a peer safe to put in a log line or an error message: control
 * characters (line ends, escape sequences, NUL) become {@code \xNN}, and other invisible code
 * points (format characters such as bidirectional overrides, line separators, unpaired
 * surrogates, unassigned and private-use code points) become <code>&#92;u{NNNN}</code>; everything else
 * stays. A hostile greeting can thus neither forge log lines nor reach the operator's terminal
 * as raw bytes (STYLE 2.5: network input is hostile). Thread-safe (stateless).
 */
final class PeerText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PeerText() {
    }

    /** {@code text}, escaped. */
    static String printable(String text) {
        return printable(text, Integer.MAX_VALUE);
    }

    /** {@code text}, escaped, cut after at least {@code max} characters of output, with {@code ...} if cut. */
    static String printable(String text, int max) {
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
