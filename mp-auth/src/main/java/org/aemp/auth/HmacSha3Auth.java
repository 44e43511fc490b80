package org.aemp.auth;

import static java.util.Objects.requireNonNull;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.aemp.spi.AuthMethod;
import org.aemp.spi.HandshakeException;
import org.aemp.spi.Secret;
import org.aemp.spi.Transcript;

/**
 * AEMP {@code hmac_sha3_512}: the token is the lowercase hex of HMAC-SHA3-512 keyed with the shared
 * secret over the four greeting lines, the sender's own first. It is the method AnyEvent::MP 2.02
 * sends whenever TLS is off, so it is what talking to Perl needs. Stateless and thread-safe.
 *
 * <pre>{@code
 * hmac_sha3_512;<hex(HMAC-SHA3-512(secret, own1 \n own2 \n peer1 \n peer2 \n))>;json\n
 * }</pre>
 *
 * <p>The construction is plain RFC 2104 HMAC over FIPS 202 SHA3-512 with its 72-byte block (Perl
 * passes that block size to Digest::HMAC explicitly), which is exactly the JDK's
 * {@code HmacSHA3-512}; the key is the secret's bytes as they are, not hashed first as in 1.x.
 */
public final class HmacSha3Auth implements AuthMethod {

    /** The method's name in greetings and auth lines. */
    public static final String NAME = "hmac_sha3_512";

    private static final String ALGORITHM = "HmacSHA3-512";
    private static final HexFormat HEX = HexFormat.of();

    /** The method, as {@link java.util.ServiceLoader} creates it. */
    public HmacSha3Auth() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** False: the HMAC protects the handshake on a plain TCP link. */
    @Override
    public boolean requiresTls() {
        return false;
    }

    /** True: the secret is the HMAC key. */
    @Override
    public boolean requiresSecret() {
        return true;
    }

    /**
     * {@inheritDoc}
     *
     * @throws HandshakeException if {@code secret} is null: without TLS and without a secret AEMP
     *     cannot authenticate (Perl stops with the same words)
     */
    @Override
    public String token(Transcript transcript, Secret secret) {
        requireNonNull(transcript, "transcript");
        if (secret == null) {
            throw new HandshakeException(NAME + ": unable to handshake TLS and no shared secret configured");
        }
        byte[] key = secret.bytes();
        try {
            return hmacHex(key, transcript.bytes());
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Lowercase hex of HMAC-SHA3-512. A {@link Mac} is made per call because it is neither
     * thread-safe nor worth pooling for one computation per handshake.
     */
    static String hmacHex(byte[] key, byte[] message) {
        Mac mac;
        try {
            mac = Mac.getInstance(ALGORITHM);
        } catch (NoSuchAlgorithmException e) {
            // JDK-8172680 added it in JDK 15; the project's baseline is 17, so this is a broken runtime
            throw new IllegalStateException("this Java runtime has no " + ALGORITHM + " (JDK 15 or later provides it)", e);
        }
        try {
            mac.init(new SecretKeySpec(key, ALGORITHM));
        } catch (InvalidKeyException e) {
            // the message could describe the key, so it stays out of ours
            throw new IllegalStateException(ALGORITHM + " rejected the shared secret as a key", e);
        }
        return HEX.formatHex(mac.doFinal(message));
    }

    @Override
    public String toString() {
        return NAME;
    }
}
