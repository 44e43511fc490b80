package org.aemp.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.aemp.spi.AuthMethod;
import org.aemp.spi.Secret;
import org.aemp.spi.Transcript;

/**
 * AEMP's {@code tls_sha3_512} auth method, the one Perl 2.02 sends on a TLS link: the token is the
 * lowercase hex SHA3-512 (FIPS 202) of the four greeting lines, own lines first, with no key
 * (PROTOCOL.md §7.2):
 *
 * <pre>{@code
 * tls_sha3_512;<hex(SHA3-512(L1 \n L2 \n R1 \n R2 \n))>;json
 * }</pre>
 *
 * <p>The certificates authenticate the peer; the hash binds the greeting, which travelled in clear
 * before TLS started, so a man in the middle cannot change the offered methods or framings
 * unnoticed. Valid only when TLS is active; the shared secret plays no part. Stateless and
 * thread-safe.
 */
public final class TlsSha3512Auth implements AuthMethod {
    /** The method's name in the greeting and the auth line. */
    public static final String NAME = "tls_sha3_512";

    /** The method, as {@link java.util.ServiceLoader} creates it. */
    public TlsSha3512Auth() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean requiresTls() {
        return true;
    }

    @Override
    public boolean requiresSecret() {
        return false;
    }

    /**
     * The 128 lowercase hex characters of SHA3-512 over {@link Transcript#bytes()}.
     *
     * @param secret ignored; may be null
     */
    @Override
    public String token(Transcript transcript, Secret secret) {
        try {
            // MessageDigest instances are not thread-safe, so each call gets its own
            byte[] digest = MessageDigest.getInstance("SHA3-512").digest(transcript.bytes());
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA3-512 (required since Java 9)", e);
        }
    }

    @Override
    public String toString() {
        return NAME;
    }
}
