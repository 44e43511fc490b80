package org.aemp.spi;

import java.security.GeneralSecurityException;

/**
 * Makes TLS possible: turns the {@code cert} profile value (PEM text holding a private key and
 * certificates, which are also the trusted CAs) into a {@link TlsContext}. A node with a
 * certificate announces {@code tls=1.0}; TLS is used when both sides do. Registered in
 * {@code META-INF/services/org.aemp.spi.TlsProvider}; thread-safe.
 */
public interface TlsProvider {

    /**
     * Parses the PEM text and builds a context.
     *
     * @throws GeneralSecurityException if the PEM holds no usable key and certificate; the message
     *     says what is missing or wrong
     */
    TlsContext newContext(String pem) throws GeneralSecurityException;
}
