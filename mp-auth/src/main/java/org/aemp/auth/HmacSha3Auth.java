package org.aemp.auth;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
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
 * {@code HmacSHA3-512}; the key is the secret's bytes as they are, not hashed first as in 1.x
 * (unless longer than the block, as RFC 2104 says).
 */
public final class HmacSha3Auth implements AuthMethod {

    /** The method's name in greetings and auth lines. */
    public static final String NAME = "hmac_sha3_512";

    private static final String DIGEST = "SHA3-512";
    /** SHA3-512's block (rate) in bytes, the HMAC block size (FIPS 202; Perl's Digest::HMAC gets it too). */
    private static final int BLOCK = 72;
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
     * Lowercase hex of HMAC-SHA3-512 (RFC 2104 over SHA3-512, 72-byte block; a key longer than the
     * block is hashed first). Computed with {@link MessageDigest} rather than {@code javax.crypto.Mac}:
     * the first {@code Mac} of a JVM initialises the JCE framework (provider verification, crypto
     * policy files), about 25 ms that a short-lived node such as the {@code aemp} tool's spends on
     * its one handshake, while SHA3-512 comes from the provider that {@code SecureRandom} has loaded
     * already. {@code HmacSha3AuthProperties} checks that both give the same result.
     */
    static String hmacHex(byte[] key, byte[] message) {
        MessageDigest sha3;
        try {
            sha3 = MessageDigest.getInstance(DIGEST);
        } catch (NoSuchAlgorithmException e) {
            // JDK 9 added it (JEP 287); the project's baseline is 17, so this is a broken runtime
            throw new IllegalStateException("this Java runtime has no " + DIGEST, e);
        }
        byte[] k = key.length > BLOCK ? sha3.digest(key) : key;
        byte[] ipad = new byte[BLOCK];
        byte[] opad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            ipad[i] = (byte) (b ^ 0x36);
            opad[i] = (byte) (b ^ 0x5c);
        }
        sha3.update(ipad);
        byte[] inner = sha3.digest(message);
        sha3.update(opad);
        byte[] outer = sha3.digest(inner);
        Arrays.fill(ipad, (byte) 0);
        Arrays.fill(opad, (byte) 0);
        if (k != key) {
            Arrays.fill(k, (byte) 0);
        }
        return HEX.formatHex(outer);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
