package org.aemp.interop;

import java.util.regex.Pattern;

/** Regular expressions for {@link org.aemp.testing.logging.TestLogs}, built from literal text. */
final class LogPatterns {
    private LogPatterns() {
    }

    /** Matches text that holds each of {@code parts}, literally, in this order. */
    static String inOrder(String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            b.append(b.length() == 0 ? "" : ".*").append(Pattern.quote(p));
        }
        return b.toString();
    }
}
