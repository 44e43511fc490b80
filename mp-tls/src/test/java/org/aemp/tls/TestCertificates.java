package org.aemp.tls;

import io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import java.util.List;
import org.aemp.spi.TlsContext;

/**
 * Certificates made once per test run (RSA key generation is slow enough to share): one
 * gencert-style self-signed PEM, two nodes issued by CA 1, and one node issued by CA 2 that also
 * trusts CA 1.
 */
final class TestCertificates {
    static final CertificateAuthority CA1 = CertificateGenerator.newAuthority("test CA 1");
    static final CertificateAuthority CA2 = CertificateGenerator.newAuthority("test CA 2");
    static final String SELF_SIGNED = CertificateGenerator.selfSigned();
    static final String NODE_A = CA1.issueNodePem("node-a");
    static final String NODE_B = CA1.issueNodePem("node-b");
    /** Issued by CA 2, but its PEM holds CA 1's certificate too, so it trusts nodes A and B. */
    static final String NODE_X_TRUSTS_BOTH = CA2.issueNodePem("node-x") + CA1.certificatePem();
    /** Issued by CA 2, trusting only CA 2. */
    static final String NODE_Y = CA2.issueNodePem("node-y");

    /** Both implementations, for parameterized tests. */
    static final List<SslProvider> IMPLEMENTATIONS = List.of(SslProvider.OPENSSL, SslProvider.JDK);

    private TestCertificates() {
    }

    static TlsContext context(SslProvider implementation, String pem) {
        try {
            return new AempTlsProvider(implementation).newContext(pem);
        } catch (GeneralSecurityException e) {
            throw new AssertionError("test PEM rejected: " + e.getMessage(), e);
        }
    }
}
