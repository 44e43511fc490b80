package org.aemp.observe;

/**
 * Makes text from the network (node ids, family names, keys) fit for a log line and bounded in
 * size: control, format and unassigned characters become hexadecimal escapes (as in mp-core's log
 * lines), and anything beyond {@link #MAX} characters is cut (marked with an ellipsis). The page
 * shows such text with {@code textContent}, never as markup. Stateless.
 */
final class PeerText {
    /** The most characters kept of one piece of peer text. */
    static final int MAX = 256;

    private PeerText() {
    }

    /** {@code s} cut to {@link #MAX} characters, for the page (which never parses it as markup). */
    static String cut(String s) {
        return s.length() <= MAX ? s : s.substring(0, MAX) + "…";
    }

    /** {@code s} cut and escaped for a log line. */
    static String escape(String s) {
        String c = cut(s);
        StringBuilder b = new StringBuilder(c.length());
        c.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            if (cp < 0x20 || cp == 0x7f) {
                b.append(String.format("\\x%02x", cp));
            } else if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE
                    || type == Character.UNASSIGNED || type == Character.PRIVATE_USE) {
                b.append("\\u{").append(Integer.toHexString(cp)).append('}');
            } else if (cp == '\\') {
                b.append("\\\\");
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }
}
