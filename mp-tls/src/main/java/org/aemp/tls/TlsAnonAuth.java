package org.aemp.tls;

import org.aemp.spi.AuthMethod;
import org.aemp.spi.Secret;
import org.aemp.spi.Transcript;

/**
 * AEMP's {@code tls_anon} auth method: the token is empty, so the auth line reads
 * {@code tls_anon;;json} (PROTOCOL.md §7.3). The TLS certificates do all the authenticating;
 * unlike {@link TlsSha3512Auth} nothing binds the clear-text greeting, so prefer that one. Perl
 * 2.02 accepts it but never sends it. Valid only when TLS is active. Stateless and thread-safe.
 */
public final class TlsAnonAuth implements AuthMethod {
    /** The method's name in the greeting and the auth line. */
    public static final String NAME = "tls_anon";

    /** The method, as {@link java.util.ServiceLoader} creates it. */
    public TlsAnonAuth() {
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
     * The empty string, whatever the transcript.
     *
     * @param secret ignored; may be null
     */
    @Override
    public String token(Transcript transcript, Secret secret) {
        return "";
    }

    @Override
    public String toString() {
        return NAME;
    }
}
