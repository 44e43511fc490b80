package org.aemp.internal.kernel;

import java.security.SecureRandom;

/**
 * Random identifiers in the shapes AEMP 2.02 uses: {@code RUNIQ} (10 characters of
 * {@code [0-9A-Za-z]}, the last one upper-cased), node id expansion ({@code %n}, {@code %u}, a
 * trailing {@code /}) and Perl's "magic" string increment for port-name counters. Thread-safe.
 */
public final class Ids {
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** {@code n} random characters of {@code [0-9A-Za-z]}. */
    public static String random(int n) {
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            out[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return new String(out);
    }

    /** A fresh {@code RUNIQ}: 10 random characters, the last one upper-cased (a digit stays a digit). */
    public static String runiq() {
        String r = random(10);
        return r.substring(0, 9) + Character.toUpperCase(r.charAt(9));
    }

    /**
     * Expands a configured node id as AEMP 2.02 does: every {@code %n} becomes the host name, then
     * every {@code %u} and a trailing {@code /} become {@code runiq}.
     *
     * @return the expanded id
     * @throws IllegalArgumentException if the result is empty, {@code 0}, or contains characters a
     *     node id cannot hold
     */
    public static String expandNodeId(String configured, String hostName, String runiq) {
        String id = configured.replace("%n", hostName).replace("%u", runiq);
        if (id.endsWith("/")) {
            id = id + runiq;
        }
        checkNodeId(id);
        return id;
    }

    /** True if expanding {@code configured} puts a random part into the id. */
    public static boolean hasRandomPart(String configured) {
        return configured.contains("%u") || configured.endsWith("/");
    }

    /**
     * Checks that {@code id} can be a node id on the wire: non-empty, not {@code 0}, and free of
     * {@code #}, {@code ;}, {@code ,}, whitespace and control characters.
     *
     * @return {@code id}
     */
    public static String checkNodeId(String id) {
        if (id.isEmpty() || id.equals("0")) {
            throw new IllegalArgumentException("invalid node id '" + id + "': must not be empty or 0");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '#' || c == ';' || c == ',' || c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException("invalid node id '" + id
                        + "': must not contain '#', ';', ',', white space or control characters");
            }
        }
        return id;
    }

    /**
     * Perl's magic string increment on lower-case letters: {@code a -> b}, {@code z -> aa},
     * {@code az -> ba}, {@code zz -> aaa}.
     */
    public static String increment(String s) {
        char[] c = s.toCharArray();
        for (int i = c.length - 1; i >= 0; i--) {
            if (c[i] != 'z') {
                c[i]++;
                return new String(c);
            }
            c[i] = 'a';
        }
        return "a" + new String(c);
    }
}
