package org.aemp.tls;

import static org.aemp.tls.PemBundleTest.blocks;
import static org.aemp.tls.TestCertificates.CA1;
import static org.aemp.tls.TestCertificates.NODE_A;
import static org.aemp.tls.TestCertificates.SELF_SIGNED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class CertificateGeneratorTest {
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String SUBJECT_KEY_ID = "2.5.29.14";
    private static final String AUTHORITY_KEY_ID = "2.5.29.35";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @Test
    void selfSignedIsLaidOutLikeGencertCertificateThenPkcs8Key() {
        assertThat(blocks(SELF_SIGNED)).hasSize(2);
        assertThat(blocks(SELF_SIGNED).get(0)).startsWith("-----BEGIN CERTIFICATE-----\n")
                .endsWith("\n-----END CERTIFICATE-----\n");
        assertThat(blocks(SELF_SIGNED).get(1)).startsWith("-----BEGIN PRIVATE KEY-----\n")
                .endsWith("\n-----END PRIVATE KEY-----\n");
        assertThat(SELF_SIGNED).isEqualTo(String.join("", blocks(SELF_SIGNED))).doesNotContain("\r");
    }

    @Test
    void selfSignedMatchesWhatOpensslMakesForGencert() throws Exception {
        X509Certificate ours = PemBundle.parse(SELF_SIGNED).certificate();
        X509Certificate openssl = PemBundle.parse(PemBundleTest.fixture("openssl-gencert.pem")).certificate();

        for (X509Certificate c : new X509Certificate[] {ours, openssl}) {
            assertThat(c.getVersion()).isEqualTo(3);
            assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=AnyEvent::MP");
            assertThat(c.getIssuerX500Principal()).isEqualTo(c.getSubjectX500Principal());
            assertThat(c.getSigAlgName()).isEqualTo("SHA256withRSA");
            assertThat(((RSAPublicKey) c.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
            assertThat(c.getBasicConstraints()).isGreaterThanOrEqualTo(0);
            assertThat(c.getCriticalExtensionOIDs()).containsExactly(BASIC_CONSTRAINTS);
            assertThat(c.getNonCriticalExtensionOIDs()).containsExactlyInAnyOrder(SUBJECT_KEY_ID, AUTHORITY_KEY_ID);
            assertThat(c.getSerialNumber().signum()).isPositive();
            c.verify(c.getPublicKey());
        }
        Duration validity = Duration.between(ours.getNotBefore().toInstant(), ours.getNotAfter().toInstant());
        assertThat(validity).isBetween(Duration.ofDays(3650), Duration.ofDays(3650).plusHours(2));
        assertThat(ours.getNotBefore().toInstant()).isBefore(java.time.Instant.now());
    }

    @Test
    void nodePemHoldsKeyNodeCertificateAndCaCertificate() throws Exception {
        assertThat(blocks(NODE_A)).extracting(b -> b.substring(0, b.indexOf('\n'))).containsExactly(
                "-----BEGIN PRIVATE KEY-----", "-----BEGIN CERTIFICATE-----", "-----BEGIN CERTIFICATE-----");
        X509Certificate node = PemBundle.parse(NODE_A).certificate();
        X509Certificate ca = CA1.certificate();

        assertThat(blocks(NODE_A).get(2)).isEqualTo(CA1.certificatePem());
        assertThat(node.getSubjectX500Principal().getName()).isEqualTo("CN=node-a");
        assertThat(node.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        node.verify(ca.getPublicKey());
        assertThat(node.getBasicConstraints()).isEqualTo(-1);
        assertThat(node.getExtendedKeyUsage()).containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    }

    @Test
    void nodeCertificateNeverOutlivesItsCa() throws Exception {
        CertificateAuthority shortLived = CertificateGenerator.newAuthority("short", Duration.ofDays(2));

        X509Certificate node = PemBundle.parse(shortLived.issueNodePem("n", Duration.ofDays(3650))).certificate();

        assertThat(node.getNotAfter()).isEqualTo(shortLived.certificate().getNotAfter());
    }

    /** A CA valid from {@code notBefore} to {@code notAfter}, which the generator never makes. */
    private static CertificateAuthority authority(String commonName, Instant notBefore, Instant notAfter)
            throws Exception {
        KeyPair keys = CertificateGenerator.newKeyPair();
        X500Name name = new X500Name("CN=" + commonName);
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.TWO, Date.from(notBefore),
                Date.from(notAfter), name, keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        return new CertificateAuthority(keys.getPrivate(), cert);
    }

    @Test
    void anExpiredAuthorityIsRefusedWhenLoadedAndWhenItIssues() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        CertificateAuthority expired = authority("old CA", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));

        assertThatThrownBy(() -> CertificateAuthority.fromPem(expired.toPem()))
                .isInstanceOf(CertificateExpiredException.class)
                .hasMessageStartingWith("the CA certificate CN=old CA expired at " + now.minus(Duration.ofDays(1)))
                .hasMessageContaining("make a new CA");
        assertThatThrownBy(() -> expired.issueNodePem("n"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the CA certificate CN=old CA expired at ");
    }

    @Test
    void anAuthorityNotValidYetIsRefusedWhenLoadedAndWhenItIssues() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        CertificateAuthority future = authority("future CA", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)));

        assertThatThrownBy(() -> CertificateAuthority.fromPem(future.toPem()))
                .isInstanceOf(CertificateNotYetValidException.class)
                .hasMessageContaining("CN=future CA is not valid before");
        assertThatThrownBy(() -> future.issueNodePem("n", Duration.ofDays(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CN=future CA is not valid before");
    }

    @Test
    void nodeCertificateLiesWithinItsCasValidity() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        CertificateAuthority fresh = authority("fresh CA", now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(2)));

        X509Certificate node = PemBundle.parse(fresh.issueNodePem("n")).certificate();

        assertThat(node.getNotBefore()).isEqualTo(fresh.certificate().getNotBefore());
        assertThat(node.getNotAfter()).isEqualTo(fresh.certificate().getNotAfter());
        node.verify(fresh.certificate().getPublicKey());
    }

    @Test
    void authoritySavedAsPemIssuesCertificatesTheSameCaVerifies() throws Exception {
        String saved = CA1.toPem();
        assertThat(blocks(saved)).extracting(b -> b.substring(0, b.indexOf('\n')))
                .containsExactly("-----BEGIN PRIVATE KEY-----", "-----BEGIN CERTIFICATE-----");

        CertificateAuthority loaded = CertificateAuthority.fromPem(saved);
        X509Certificate node = PemBundle.parse(loaded.issueNodePem("later")).certificate();

        assertThat(loaded.certificate()).isEqualTo(CA1.certificate());
        node.verify(CA1.certificate().getPublicKey());
    }

    @Test
    void nodePemIsNotAnAuthority() {
        assertThatThrownBy(() -> CertificateAuthority.fromPem(NODE_A))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessage("the certificate CN=node-a is not a CA certificate (basicConstraints CA:TRUE is missing)");
    }

    @Test
    void refusesBadArguments() {
        assertThatThrownBy(() -> CertificateGenerator.selfSigned("x", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("validity must be positive: PT0S");
        assertThatThrownBy(() -> CertificateGenerator.newAuthority(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("commonName must not be empty");
        assertThatThrownBy(() -> CA1.issueNodePem(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void commonNameIsTakenLiterally() throws Exception {
        String pem = CertificateGenerator.selfSigned("odd, name=with+specials", Duration.ofDays(1));

        assertThat(PemBundle.parse(pem).certificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=odd\\, name\\=with\\+specials");
    }

    @Test
    void authorityToStringHidesTheKey() {
        assertThat(CA1.toString()).isEqualTo("CertificateAuthority[CN=test CA 1]");
    }
}
