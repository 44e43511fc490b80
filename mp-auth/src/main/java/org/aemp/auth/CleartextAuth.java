package org.aemp.auth;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HexFormat;
import org.aemp.spi.AuthMethod;
import org.aemp.spi.HandshakeException;
import org.aemp.spi.Secret;
import org.aemp.spi.Transcript;

/**
 * AEMP {@code cleartext}: the token is the lowercase hex of the shared secret itself, the same on
 * both sides and for every connection. Stateless and thread-safe.
 *
 * <pre>{@code
 * cleartext;<hex(secret)>;json\n          secret "geheim" gives 67656865696d
 * }</pre>
 *
 * <p>It exists for minimal peers that cannot compute an HMAC. Anyone who sees the line learns the
 * secret, so it is safe only inside TLS. Perl 2.02 never sends it, but accepts it even when its
 * own {@code auth_accept} leaves it out; a Java node accepts it only when it lists it.
 */
public final class CleartextAuth implements AuthMethod {

    /** The method's name in greetings and auth lines. */
    public static final String NAME = "cleartext";

    private static final HexFormat HEX = HexFormat.of();

    /** The method, as {@link java.util.ServiceLoader} creates it. */
    public CleartextAuth() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** False: AEMP allows it on plain TCP, though it then exposes the secret. */
    @Override
    public boolean requiresTls() {
        return false;
    }

    /** True: the token is the secret. */
    @Override
    public boolean requiresSecret() {
        return true;
    }

    /**
     * {@inheritDoc} The transcript plays no part.
     *
     * @throws HandshakeException if {@code secret} is null
     */
    @Override
    public String token(Transcript transcript, Secret secret) {
        requireNonNull(transcript, "transcript");
        if (secret == null) {
            throw new HandshakeException(NAME + ": no shared secret configured");
        }
        byte[] bytes = secret.bytes();
        try {
            return HEX.formatHex(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return NAME;
    }
}
