package com.example.sneaky;

import org.aemp.NodeConfig;
import org.aemp.internal.SafeText;

/** Uses the exported API (which compiles) and an internal class (which must not). */
public final class Sneaky {
    private Sneaky() {
    }

    /** Escapes text with mp-core's internal helper. */
    public static String escape(String text) {
        NodeConfig.builder();
        return SafeText.escape(text);
    }
}
