package org.aemp.tls;

import static org.aemp.tls.TestCertificates.CA1;
import static org.aemp.tls.TestCertificates.NODE_A;
import static org.aemp.tls.TestCertificates.NODE_B;
import static org.aemp.tls.TestCertificates.SELF_SIGNED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class PemBundleTest {

    @Test
    void readsGencertLayoutCertificateThenPkcs8Key() throws Exception {
        assertThat(SELF_SIGNED).startsWith("-----BEGIN CERTIFICATE-----").contains("-----BEGIN PRIVATE KEY-----");

        PemBundle bundle = PemBundle.parse(SELF_SIGNED);

        assertThat(bundle.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=AnyEvent::MP");
        assertThat(bundle.privateKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(bundle.certificateChain()).containsExactly(bundle.certificate());
        assertThat(bundle.trustedCertificates()).containsExactly(bundle.certificate());
    }

    @Test
    void readsKeyBeforeCertificateTheSame() throws Exception {
        List<String> blocks = blocks(SELF_SIGNED);
        PemBundle reordered = PemBundle.parse(blocks.get(1) + blocks.get(0));

        assertThat(reordered.certificate()).isEqualTo(PemBundle.parse(SELF_SIGNED).certificate());
        assertThat(reordered.privateKey()).isEqualTo(PemBundle.parse(SELF_SIGNED).privateKey());
    }

    @Test
    void readsPkcs1RsaPrivateKey() throws Exception {
        PemBundle original = PemBundle.parse(SELF_SIGNED);
        KeyPair pair = new KeyPair(original.certificate().getPublicKey(), original.privateKey());
        String pkcs1 = writePem(pair.getPrivate());
        assertThat(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        PemBundle bundle = PemBundle.parse(pkcs1 + writePem(original.certificate()));

        assertThat(bundle.privateKey()).isEqualTo(original.privateKey());
        assertThat(bundle.certificate()).isEqualTo(original.certificate());
    }

    @Test
    void readsWhatOpensslWrites() throws Exception {
        PemBundle gencert = PemBundle.parse(fixture("openssl-gencert.pem"));
        PemBundle pkcs1 = PemBundle.parse(fixture("openssl-rsa-pkcs1.pem"));
        PemBundle ec = PemBundle.parse(fixture("openssl-ec.pem"));

        assertThat(gencert.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=AnyEvent::MP");
        assertThat(pkcs1.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=pkcs1-node");
        assertThat(ec.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=ec-node");
        assertThat(ec.privateKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void readsPkcs8EcPrivateKey() throws Exception {
        KeyPair ec = ecKeyPair();
        X509Certificate cert = selfSignedEc(ec);

        PemBundle bundle = PemBundle.parse(writePem(new JcaPKCS8Generator(ec.getPrivate(), null)) + writePem(cert));

        assertThat(bundle.privateKey().getAlgorithm()).isEqualTo("EC");
        assertThat(bundle.certificate()).isEqualTo(cert);
    }

    @Test
    void nodeCertificateIsTheOneMatchingTheKeyWhateverTheOrder() throws Exception {
        List<String> blocks = blocks(NODE_A); // key, node certificate, CA certificate
        String caFirst = blocks.get(2) + blocks.get(0) + blocks.get(1);

        for (String pem : List.of(NODE_A, caFirst)) {
            PemBundle bundle = PemBundle.parse(pem);
            assertThat(bundle.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=node-a");
            assertThat(bundle.certificateChain()).containsExactly(bundle.certificate(), CA1.certificate());
            assertThat(bundle.trustedCertificates()).hasSize(2).contains(CA1.certificate(), bundle.certificate());
        }
    }

    @Test
    void ignoresTextBetweenBlocksOtherBlockTypesAndCrLf() throws Exception {
        String decorated = "Bag Attributes\n    friendlyName: node\n"
                + "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + "-----BEGIN SOMETHING ELSE-----\nnot base64 at all!\n-----END SOMETHING ELSE-----\n"
                + SELF_SIGNED.replace("\n", "\r\n") + "trailing words\n";

        assertThat(PemBundle.parse(decorated).certificate()).isEqualTo(PemBundle.parse(SELF_SIGNED).certificate());
    }

    @Test
    void refusesTextWithoutPrivateKey() {
        assertThatThrownBy(() -> PemBundle.parse(""))
                .isExactlyInstanceOf(GeneralSecurityException.class)
                .hasMessage("no private key found in the PEM text (expected a PRIVATE KEY or RSA PRIVATE KEY block)");
        assertThatThrownBy(() -> PemBundle.parse(blocks(SELF_SIGNED).get(0)))
                .hasMessageStartingWith("no private key found in the PEM text");
    }

    @Test
    void refusesTextWithoutCertificate() {
        assertThatThrownBy(() -> PemBundle.parse(blocks(SELF_SIGNED).get(1)))
                .isExactlyInstanceOf(GeneralSecurityException.class)
                .hasMessage("no certificate found in the PEM text (expected a CERTIFICATE block)");
    }

    @Test
    void refusesKeyThatMatchesNoCertificate() {
        String keyOfA = blocks(NODE_A).get(0);
        String certOfB = blocks(NODE_B).get(1);

        assertThatThrownBy(() -> PemBundle.parse(keyOfA + certOfB))
                .isExactlyInstanceOf(GeneralSecurityException.class)
                .hasMessage("the private key does not match the certificate in the PEM text (first: CN=node-b)");
        assertThatThrownBy(() -> PemBundle.parse(keyOfA + certOfB + CA1.certificatePem()))
                .hasMessageStartingWith("the private key does not match any of the 2 certificates");
    }

    @Test
    void refusesTwoPrivateKeys() {
        String pem = NODE_A + blocks(NODE_B).get(0);

        assertThatThrownBy(() -> PemBundle.parse(pem))
                .hasMessage("more than one private key in the PEM text (the second is PEM block 4 (PRIVATE KEY));"
                        + " keep only the node's own key");
    }

    @Test
    void refusesGarbageNamingTheBlock() {
        String garbage = blocks(SELF_SIGNED).get(1)
                + "-----BEGIN CERTIFICATE-----\nTUlJQm9uZ3VzIGNlcnRpZmljYXRl\n-----END CERTIFICATE-----\n";

        assertThatThrownBy(() -> PemBundle.parse(garbage))
                .isExactlyInstanceOf(GeneralSecurityException.class)
                .hasMessageStartingWith("cannot parse PEM block 2 (CERTIFICATE): ");
    }

    @Test
    void refusesBadBase64NamingTheBlock() {
        String bad = "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n";

        assertThatThrownBy(() -> PemBundle.parse(bad)).hasMessageStartingWith("cannot parse PEM block 1 (PRIVATE KEY)");
    }

    @Test
    void refusesBlockWithoutEndLine() {
        String cut = SELF_SIGNED.substring(0, SELF_SIGNED.indexOf("-----END PRIVATE KEY-----"));

        assertThatThrownBy(() -> PemBundle.parse(cut)).hasMessage("PEM block 2 (PRIVATE KEY) has no END line");
    }

    @Test
    void refusesEncryptedPrivateKey() throws Exception {
        PemBundle original = PemBundle.parse(SELF_SIGNED);
        String encrypted = writePem(new JcaPKCS8Generator(original.privateKey(),
                new JceOpenSSLPKCS8EncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                        .setPassword("pw".toCharArray()).build()));

        assertThatThrownBy(() -> PemBundle.parse(encrypted + writePem(original.certificate())))
                .hasMessage("PEM block 1 (ENCRYPTED PRIVATE KEY) is an encrypted private key; AEMP needs it"
                        + " unencrypted (as aemp gencert writes it)");
    }

    @Test
    void toStringNamesCertificateNotKey() throws Exception {
        PemBundle bundle = PemBundle.parse(NODE_A);

        assertThat(bundle.toString()).isEqualTo("PemBundle[CN=node-a, RSA key, 2 trusted]");
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = PemBundleTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** The PEM blocks of the text, each with its line end. */
    static List<String> blocks(String pem) {
        Matcher m = Pattern.compile("-----BEGIN ([^-]+)-----\n.*?-----END \\1-----\n", Pattern.DOTALL).matcher(pem);
        return m.results().map(r -> r.group()).toList();
    }

    static String writePem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static X509Certificate selfSignedEc(KeyPair ec) throws Exception {
        X500Name name = new X500Name("CN=ec node");
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.ONE, Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)),
                name, ec.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(ec.getPrivate())));
    }
}
