package org.aemp.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The shared secret of a network, as the bytes AEMP hashes: Perl treats each character of the
 * secret text as one byte, so the text must hold only characters up to U+00FF and is encoded as
 * ISO-8859-1. {@link #toString()} never shows it. Immutable and thread-safe.
 */
public final class Secret {
    private final byte[] bytes;

    private Secret(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * The secret for this text.
     *
     * @throws IllegalArgumentException if the text is empty or holds a character above U+00FF
     *     (Perl AnyEvent::MP cannot use it)
     */
    public static Secret of(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xff) {
                throw new IllegalArgumentException("secret must hold only characters up to U+00FF"
                        + " (Perl AnyEvent::MP hashes one byte per character); found U+"
                        + String.format("%04X", (int) text.charAt(i)) + " at index " + i);
            }
        }
        return new Secret(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A copy of the secret's bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Compares in constant time. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && MessageDigest.isEqual(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
