package org.aemp.testing.logging;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Which levels are enabled, from system properties:
 * <pre>{@code
 * -Daemp.test.logs.level=debug                       # every logger (default: info)
 * -Daemp.test.logs.level.org.aemp.trace=trace        # this logger and those below it (org.aemp.trace.x)
 * -Daemp.test.logs.level.io.netty=off                # nothing from Netty
 * }</pre>
 * The most specific name wins. Levels are {@code trace}, {@code debug}, {@code info}, {@code warn},
 * {@code error} and {@code off}, in any case. Immutable.
 */
final class LogLevels {
    static final String PROPERTY = "aemp.test.logs.level";
    static final int OFF = Integer.MAX_VALUE;

    private final int defaultThreshold;
    private final Map<String, Integer> byName; // logger name (prefix) -> lowest enabled level (Level.toInt())

    private LogLevels(int defaultThreshold, Map<String, Integer> byName) {
        this.defaultThreshold = defaultThreshold;
        this.byName = Map.copyOf(byName);
    }

    /**
     * Reads {@code aemp.test.logs.level} and {@code aemp.test.logs.level.<logger>}.
     *
     * @throws IllegalArgumentException for a value that is no level, naming the property
     */
    static LogLevels from(Properties properties) {
        int threshold = org.slf4j.event.Level.INFO.toInt();
        Map<String, Integer> byName = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.equals(PROPERTY)) {
                threshold = parse(key, properties.getProperty(key));
            } else if (key.startsWith(PROPERTY + ".") && key.length() > PROPERTY.length() + 1) {
                byName.put(key.substring(PROPERTY.length() + 1), parse(key, properties.getProperty(key)));
            }
        }
        return new LogLevels(threshold, byName);
    }

    /** The lowest level ({@code Level.toInt()}) enabled for this logger, or {@link #OFF}. */
    int threshold(String logger) {
        for (String name = logger; ; name = name.substring(0, name.lastIndexOf('.'))) {
            Integer t = byName.get(name);
            if (t != null) {
                return t;
            }
            if (name.lastIndexOf('.') < 0) {
                return defaultThreshold;
            }
        }
    }

    private static int parse(String key, String value) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        if (v.equals("OFF")) {
            return OFF;
        }
        try {
            return org.slf4j.event.Level.valueOf(v).toInt();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be one of trace, debug, info, warn, error, off: '"
                    + value + "'");
        }
    }
}
