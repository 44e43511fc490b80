package org.aemp.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * An AEMP auth method, named as in the greeting's auth list ({@code hmac_sha3_512},
 * {@code cleartext}, {@code tls_sha3_512}, {@code tls_anon}). After the greetings, each side sends
 * one auth line {@code <method>;<token>;<framing>}, where the token is computed from the four
 * greeting lines with this side's own lines first.
 *
 * <p>Implementations are stateless and thread-safe, and register in
 * {@code META-INF/services/org.aemp.spi.AuthMethod}.
 */
public interface AuthMethod {

    /** The method's name in the greeting, e.g. {@code hmac_sha3_512}. */
    String name();

    /** True for methods that are valid only on a TLS link ({@code tls_*}). */
    boolean requiresTls();

    /** True for methods that need the shared secret. */
    boolean requiresSecret();

    /**
     * The token this side sends.
     *
     * @param transcript the greeting lines, this side's first
     * @param secret the shared secret, or null if none is configured
     */
    String token(Transcript transcript, Secret secret);

    /**
     * Checks the peer's token in constant time: it must equal what the peer computes from its
     * own point of view, that is {@link #token} over the {@link Transcript#reversed() reversed}
     * transcript.
     */
    default boolean verify(Transcript transcript, Secret secret, String received) {
        byte[] expected = token(transcript.reversed(), secret).getBytes(StandardCharsets.ISO_8859_1);
        return MessageDigest.isEqual(expected, received.getBytes(StandardCharsets.ISO_8859_1));
    }
}
