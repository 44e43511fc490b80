package org.aemp.tls;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes certificates for AEMP nodes with Bouncy Castle, without calling {@code openssl}.
 *
 * <p>{@link #selfSigned()} does what Perl's {@code aemp gencert} does: one self-signed certificate
 * for the whole network, copied into every node's {@code cert}. Since each node trusts every
 * certificate in its own PEM text, all nodes holding it trust each other.
 * {@link #newAuthority(String)} starts a small private CA instead, whose
 * {@link CertificateAuthority#issueNodePem(String) node certificates} trust each other without
 * sharing a private key.
 *
 * <p>Keys are RSA-2048, signatures SHA-256 with RSA. Key generation takes tens to hundreds of
 * milliseconds. Thread-safe.
 */
public final class CertificateGenerator {
    /** The subject common name {@code aemp gencert} uses. */
    public static final String GENCERT_COMMON_NAME = "AnyEvent::MP";
    /** How long {@code aemp gencert} certificates are valid: 3650 days. */
    public static final Duration GENCERT_VALIDITY = Duration.ofDays(3650);

    private static final int RSA_BITS = 2048;
    private static final String SIGNATURE_ALGORITHM = "SHA256withRSA";
    /** Certificates start an hour in the past, so a peer whose clock lags a little accepts a fresh one. */
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateGenerator() {
    }

    /**
     * A new self-signed certificate and key, like Perl's {@code aemp gencert}: RSA-2048, subject
     * {@code CN=AnyEvent::MP}, valid 3650 days, {@code basicConstraints CA:TRUE}, sha256WithRSA.
     * Returned as PEM text laid out as gencert stores it in {@code cert}: the {@code CERTIFICATE}
     * block first, then the unencrypted PKCS#8 {@code PRIVATE KEY} block.
     */
    public static String selfSigned() {
        return selfSigned(GENCERT_COMMON_NAME, GENCERT_VALIDITY);
    }

    /**
     * Like {@link #selfSigned()}, with another subject common name and validity.
     *
     * @throws IllegalArgumentException if the validity is not positive
     */
    public static String selfSigned(String commonName, Duration validity) {
        KeyPair keys = newKeyPair();
        X509Certificate cert = selfSignedCertificate(commonName, validity, keys, false);
        return PemText.write(cert, pkcs8(keys.getPrivate()));
    }

    /** A new CA with this subject common name, valid 3650 days. */
    public static CertificateAuthority newAuthority(String commonName) {
        return newAuthority(commonName, GENCERT_VALIDITY);
    }

    /**
     * A new CA with this subject common name and validity.
     *
     * @throws IllegalArgumentException if the validity is not positive
     */
    public static CertificateAuthority newAuthority(String commonName, Duration validity) {
        KeyPair keys = newKeyPair();
        return new CertificateAuthority(keys.getPrivate(), selfSignedCertificate(commonName, validity, keys, true));
    }

    /** A fresh RSA-2048 key pair. */
    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate RSA keys", e);
        }
    }

    /** A PKCS#8 {@code PRIVATE KEY} block for {@link PemText#write}. */
    static JcaPKCS8Generator pkcs8(PrivateKey key) {
        try {
            return new JcaPKCS8Generator(key, null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the " + key.getAlgorithm() + " private key as PKCS#8", e);
        }
    }

    /**
     * A node certificate for {@code subjectKey}, signed by the CA: {@code CA:FALSE}, usable for
     * TLS server and client authentication, valid from now for {@code validity} but within the CA
     * certificate's validity: never past its end, never before its start.
     *
     * @throws IllegalStateException if the CA certificate is not valid now
     */
    static X509Certificate nodeCertificate(String commonName, Duration validity, PublicKey subjectKey,
                                           X509Certificate caCert, PrivateKey caKey) {
        Instant now = Instant.now();
        Instant notAfter = now.plus(checkValidity(validity));
        Instant notBefore = now.minus(BACKDATE);
        Instant caStart = caCert.getNotBefore().toInstant();
        Instant caEnd = caCert.getNotAfter().toInstant();
        String invalid = CertificateAuthority.notValid(caCert, now);
        if (invalid != null) { // else the certificate would end before it starts
            throw new IllegalStateException(invalid);
        }
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(name(caCert.getSubjectX500Principal().getEncoded()),
                    name(commonName), notBefore.isBefore(caStart) ? caStart : notBefore,
                    notAfter.isAfter(caEnd) ? caEnd : notAfter, subjectKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            return sign(b, caKey);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a node certificate for CN=" + commonName, e);
        }
    }

    /**
     * A self-signed certificate with the extensions OpenSSL 3's {@code req -x509} adds (key
     * identifiers, critical {@code CA:TRUE}); a {@code forCa} one also limits its key to signing
     * certificates and CRLs.
     */
    private static X509Certificate selfSignedCertificate(String commonName, Duration validity, KeyPair keys,
                                                         boolean forCa) {
        X500Name name = name(commonName);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            Instant now = Instant.now();
            X509v3CertificateBuilder b = builder(name, name, now.minus(BACKDATE), now.plus(checkValidity(validity)),
                    keys.getPublic())
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            if (forCa) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            return sign(b, keys.getPrivate());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a self-signed certificate for CN=" + commonName, e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, Instant notBefore,
                                                    Instant notAfter, PublicKey key) {
        // 159 random bits: a positive serial of at most 20 bytes, as RFC 5280 asks and OpenSSL 3 makes
        BigInteger serial = new BigInteger(159, RANDOM).add(BigInteger.ONE);
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore), Date.from(notAfter), subject, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with " + SIGNATURE_ALGORITHM, e);
        }
    }

    private static X500Name name(String commonName) {
        requireNonNull(commonName, "commonName");
        if (commonName.isEmpty()) {
            throw new IllegalArgumentException("commonName must not be empty");
        }
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    private static X500Name name(byte[] encoded) {
        return X500Name.getInstance(encoded);
    }

    private static Duration checkValidity(Duration validity) {
        requireNonNull(validity, "validity");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive: " + validity);
        }
        return validity;
    }
}
