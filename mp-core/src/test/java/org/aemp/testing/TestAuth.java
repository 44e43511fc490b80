package org.aemp.testing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.aemp.spi.AuthMethod;
import org.aemp.spi.HandshakeException;
import org.aemp.spi.Secret;
import org.aemp.spi.Transcript;

/**
 * An auth method for mp-core's own tests (mp-auth provides the real ones): token = hex of
 * SHA-256(secret, transcript). Found through mp-core's test service file; nodes must name it in
 * their auth_offer and auth_accept.
 */
public final class TestAuth implements AuthMethod {
    public static final String NAME = "test_secret";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean requiresTls() {
        return false;
    }

    @Override
    public boolean requiresSecret() {
        return true;
    }

    @Override
    public String token(Transcript transcript, Secret secret) {
        if (secret == null) {
            throw new HandshakeException("no secret");
        }
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(secret.bytes());
            d.update(transcript.bytes());
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
