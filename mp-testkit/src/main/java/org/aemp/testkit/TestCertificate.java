package org.aemp.testkit;

import org.aemp.tls.CertificateGenerator;

/**
 * The one self-signed certificate that every TLS network of this JVM uses, as {@code aemp gencert}
 * makes it: made on first use (an RSA key takes a while) and shared after. In a class of its own so
 * that mp-tls is loaded only by networks that ask for TLS. Thread-safe.
 */
final class TestCertificate {
    /** The certificate, private key included, in PEM: what {@code NodeConfig.Builder.cert} takes. */
    static final String PEM = CertificateGenerator.selfSigned();

    private TestCertificate() {
    }
}
