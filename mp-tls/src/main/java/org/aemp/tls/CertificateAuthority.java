package org.aemp.tls;

import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * A small private CA for an AEMP network: it issues node certificates, and nodes whose PEM text
 * holds the CA certificate trust every certificate it issued, without sharing a private key (as
 * they must with {@link CertificateGenerator#selfSigned()}).
 *
 * <p>Make one with {@link CertificateGenerator#newAuthority(String)}, keep {@link #toPem()} (its
 * private key!) somewhere safe, and load it again with {@link #fromPem(String)} to issue more.
 * Immutable and thread-safe; {@link #toString()} never shows the key.
 */
public final class CertificateAuthority {
    private final PrivateKey key;
    private final X509Certificate certificate;

    CertificateAuthority(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /**
     * Loads a CA saved with {@link #toPem()}: its private key and certificate, in any order.
     *
     * @throws GeneralSecurityException if the text holds no usable key and certificate (see
     *     {@link PemBundle#parse}), or the certificate is not a CA certificate
     * @throws CertificateExpiredException if the CA certificate has expired: it can issue nothing
     *     a node would accept
     * @throws CertificateNotYetValidException if the CA certificate is not valid yet
     */
    public static CertificateAuthority fromPem(String pem) throws GeneralSecurityException {
        PemBundle bundle = PemBundle.parse(pem);
        X509Certificate cert = bundle.certificate();
        if (cert.getBasicConstraints() < 0) {
            throw new GeneralSecurityException("the certificate " + cert.getSubjectX500Principal().getName()
                    + " is not a CA certificate (basicConstraints CA:TRUE is missing)");
        }
        Instant now = Instant.now();
        if (now.isAfter(cert.getNotAfter().toInstant())) {
            throw new CertificateExpiredException(notValid(cert, now));
        }
        if (now.isBefore(cert.getNotBefore().toInstant())) {
            throw new CertificateNotYetValidException(notValid(cert, now));
        }
        return new CertificateAuthority(bundle.privateKey(), cert);
    }

    /** Why {@code ca} cannot issue certificates at {@code now}, or null if it can. */
    static String notValid(X509Certificate ca, Instant now) {
        Instant notBefore = ca.getNotBefore().toInstant();
        Instant notAfter = ca.getNotAfter().toInstant();
        String name = "the CA certificate " + ca.getSubjectX500Principal().getName();
        if (now.isAfter(notAfter)) {
            return name + " expired at " + notAfter + ", so it can issue no certificates; make a new CA"
                    + " (CertificateGenerator.newAuthority) and give the nodes its certificate";
        }
        if (now.isBefore(notBefore)) {
            return name + " is not valid before " + notBefore + " (is this machine's clock right?)";
        }
        return null;
    }

    /** The CA certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA certificate alone, as a PEM {@code CERTIFICATE} block: what nodes need to trust it. */
    public String certificatePem() {
        return PemText.write(certificate);
    }

    /**
     * The CA's PKCS#8 private key and then its certificate, as PEM text, for {@link #fromPem}.
     * Anyone holding it can issue certificates the network trusts: keep it off the nodes.
     */
    public String toPem() {
        return PemText.write(CertificateGenerator.pkcs8(key), certificate);
    }

    /**
     * A new node key and certificate, valid 3650 days but never past the CA, as the PEM text for a
     * node's {@code cert}: the PKCS#8 {@code PRIVATE KEY}, the node {@code CERTIFICATE}, then the CA
     * {@code CERTIFICATE} (which makes the node trust every certificate this CA issues).
     *
     * @param commonName the subject common name, e.g. the node ID
     * @throws IllegalStateException if the CA certificate has expired or is not valid yet
     */
    public String issueNodePem(String commonName) {
        return issueNodePem(commonName, CertificateGenerator.GENCERT_VALIDITY);
    }

    /**
     * Like {@link #issueNodePem(String)}, with another validity.
     *
     * @throws IllegalArgumentException if the validity is not positive
     * @throws IllegalStateException if the CA certificate has expired or is not valid yet
     */
    public String issueNodePem(String commonName, Duration validity) {
        requireNonNull(commonName, "commonName");
        String invalid = notValid(certificate, Instant.now());
        if (invalid != null) {
            throw new IllegalStateException(invalid);
        }
        KeyPair keys = CertificateGenerator.newKeyPair();
        X509Certificate cert = CertificateGenerator.nodeCertificate(commonName, validity, keys.getPublic(),
                certificate, key);
        return PemText.write(CertificateGenerator.pkcs8(keys.getPrivate()), cert, certificate);
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
