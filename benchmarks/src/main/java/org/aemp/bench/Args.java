package org.aemp.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code key=value} arguments of the benchmark programs, read as the Perl peers'
 * {@code InteropNode.pm} reads them: an argument wins over its environment variable
 * ({@code nodeid} over {@code AEMP_NODEID}, ...), which wins over the program's default.
 * Immutable and thread-safe.
 */
final class Args {
    /** The environment variable behind each key, as in InteropNode.pm and client.pl. */
    private static final Map<String, String> ENV = Map.ofEntries(
            Map.entry("nodeid", "AEMP_NODEID"), Map.entry("bind", "AEMP_BIND"), Map.entry("seeds", "AEMP_SEEDS"),
            Map.entry("secret", "AEMP_SECRET"), Map.entry("framing", "AEMP_FRAMING"), Map.entry("cert", "AEMP_CERT"),
            Map.entry("auth_offer", "AEMP_AUTH_OFFER"), Map.entry("auth_accept", "AEMP_AUTH_ACCEPT"),
            Map.entry("quiet", "AEMP_QUIET"), Map.entry("target", "AEMP_TARGET_PORT"), Map.entry("n", "AEMP_N"),
            Map.entry("window", "AEMP_WINDOW"), Map.entry("size", "AEMP_SIZE"));

    private final Map<String, String> values;

    private Args(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /**
     * Reads {@code argv} over {@code env} over {@code defaults}.
     *
     * @throws IllegalArgumentException for an argument that is not {@code key=value}
     */
    static Args parse(List<String> argv, Map<String, String> env, Map<String, String> defaults) {
        Map<String, String> v = new HashMap<>(defaults);
        ENV.forEach((key, var) -> {
            String e = env.get(var);
            if (e != null) {
                v.put(key, e);
            }
        });
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            if (eq <= 0 || !arg.substring(0, eq).matches("[a-z_]+")) {
                throw new IllegalArgumentException("invalid argument '" + arg + "': expected key=value");
            }
            v.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return new Args(v);
    }

    static Args of(Map<String, String> values) {
        return new Args(values);
    }

    /** These arguments, with {@code defaults} for the keys that are missing or empty. */
    Args withDefaults(Map<String, String> defaults) {
        Map<String, String> v = new HashMap<>(defaults);
        values.forEach((key, value) -> {
            if (!value.isEmpty()) {
                v.put(key, value);
            }
        });
        return new Args(v);
    }

    /** @throws IllegalArgumentException if the key is missing or empty */
    String require(String key) {
        return get(key).orElseThrow(() -> new IllegalArgumentException(key + " is missing"));
    }

    /** The value of {@code key}, unless it is missing or empty (Perl's {@code length} test). */
    Optional<String> get(String key) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    String get(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    /** @throws IllegalArgumentException if the value is not an integer of at least {@code min} */
    int integer(String key, int fallback, int min) {
        return get(key).isEmpty() ? fallback : integer(key, min);
    }

    /** @throws IllegalArgumentException if the value is missing, or not an integer of at least {@code min} */
    int integer(String key, int min) {
        String v = require(key);
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer: '" + v + "'");
        }
        if (n < min) {
            throw new IllegalArgumentException(key + " must be >= " + min + ": " + n);
        }
        return n;
    }

    /** Perl truth: set, and neither {@code 0} nor empty. */
    boolean flag(String key, boolean fallback) {
        String v = values.get(key);
        return v == null ? fallback : !(v.isEmpty() || v.equals("0"));
    }

    /** A comma list, empty entries dropped (InteropNode's {@code _list}). */
    List<String> list(String key, String fallback) {
        return Arrays.stream(get(key, fallback).split(",")).filter(s -> !s.isEmpty()).toList();
    }
}
