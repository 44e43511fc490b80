package org.aemp.tls;

import static org.aemp.tls.TestCertificates.CA1;
import static org.aemp.tls.TestCertificates.NODE_A;
import static org.aemp.tls.TestCertificates.NODE_Y;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.internal.tcnative.CertificateVerifier;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two pieces that make AEMP's peer checks behave as OpenSSL's (and so Perl's) do: refusals
 * labelled for BoringSSL's alert ({@link OpenSslAlertTrustManager}), and the node certificate
 * presented whatever CAs the peer asks for ({@link NodeKeyManager}).
 */
class PeerCertificateChecksTest {

    @BeforeAll
    static void loadOpenSsl() {
        OpenSsl.ensureAvailability(); // CertificateVerifier's constants come from the native library
    }

    @Test
    void aChainFromAnUnknownCaIsLabelledForTheUnknownCaAlert() throws Exception {
        OpenSslAlertTrustManager trust = OpenSslAlertTrustManager.trusting(List.of(CA1.certificate()));
        X509Certificate[] stranger = PemBundle.parse(NODE_Y).certificateChain().toArray(X509Certificate[]::new);

        OpenSslCertificateException refused = catchThrowableOfType(OpenSslCertificateException.class,
                () -> trust.checkClientTrusted(stranger, "RSA", (javax.net.ssl.SSLEngine) null));
        assertThat(refused.errorCode()).isEqualTo(CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
        assertThat(refused).hasRootCauseMessage("unable to find valid certification path to requested target");

        X509Certificate[] member = PemBundle.parse(NODE_A).certificateChain().toArray(X509Certificate[]::new);
        assertThatCode(() -> trust.checkServerTrusted(member, "RSA", (javax.net.ssl.SSLEngine) null))
                .doesNotThrowAnyException();
    }

    @Test
    void refusalsNettyClassifiesPassUnchangedAndOthersBecomeBadCertificate() {
        CertificateExpiredException expired = new CertificateExpiredException("expired");
        assertThat(OpenSslAlertTrustManager.labelled(expired)).isSameAs(expired);

        CertificateException other = new CertificateException("odd");
        CertificateException labelled = OpenSslAlertTrustManager.labelled(other);
        assertThat(labelled).isInstanceOf(OpenSslCertificateException.class).hasCause(other);
        assertThat(((OpenSslCertificateException) labelled).errorCode())
                .isEqualTo(CertificateVerifier.X509_V_ERR_CERT_REJECTED);
    }

    @Test
    void theNodeCertificateIsOfferedWhateverIssuersTheServerNames() throws Exception {
        PemBundle bundle = PemBundle.parse(NODE_A);
        NodeKeyManager keys = NodeKeyManager.of(bundle.privateKey(), bundle.certificateChain());
        X500Principal[] otherCa = {new X500Principal("CN=some other CA")};

        String alias = keys.chooseEngineClientAlias(new String[] {"RSA"}, otherCa, null);
        assertThat(alias).isNotNull();
        assertThat(keys.getCertificateChain(alias)).containsExactlyElementsOf(bundle.certificateChain());
        assertThat(keys.getPrivateKey(alias)).isEqualTo(bundle.privateKey());
        assertThat(keys.chooseEngineClientAlias(new String[] {"EC"}, otherCa, null)).as("wrong key type").isNull();
    }
}
