package org.aemp.tls;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A node's key and certificates, read from the {@code cert} profile value: PEM text holding one
 * unencrypted private key (PKCS#8 {@code PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE KEY} or
 * {@code EC PRIVATE KEY}) and one or more certificates, in any order. Perl's {@code aemp gencert}
 * writes the certificate first and then a PKCS#8 key; the Perl manual suggests key, certificate,
 * then CA certificates. Both read the same here.
 *
 * <p>The first certificate whose public key matches the private key is the node's own
 * {@link #certificate()}. <em>Every</em> certificate in the text is also a trusted CA, because
 * Perl AnyEvent::MP passes the same PEM text as {@code ca_cert}: nodes that share one self-signed
 * certificate, or whose certificates come from a CA included in each node's PEM, trust each other.
 * Other blocks (parameters, public keys, CRLs) are skipped unread, as is text between blocks.
 *
 * <p>Immutable and thread-safe.
 */
public final class PemBundle {
    /**
     * The block types read; any other (parameters, public keys, CRLs, requests) is skipped unparsed,
     * as OpenSSL skips what it does not look for, so PEM text Perl accepts is accepted here.
     */
    private static final Set<String> READ_TYPES = Set.of("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE",
            "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY");

    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;
    private final List<X509Certificate> trusted;

    private PemBundle(PrivateKey privateKey, List<X509Certificate> chain, List<X509Certificate> trusted) {
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
        this.trusted = List.copyOf(trusted);
    }

    /**
     * Reads the key and certificates from PEM text.
     *
     * @throws GeneralSecurityException with a message naming what is wrong: no private key, more
     *     than one, an encrypted key, no certificate, a key that matches no certificate, or a block
     *     that cannot be parsed (named by its position and type, e.g. {@code PEM block 2
     *     (CERTIFICATE)}). Nothing else is thrown, whatever the text.
     */
    public static PemBundle parse(String pem) throws GeneralSecurityException {
        requireNonNull(pem, "pem");
        PrivateKey key = null;
        List<X509Certificate> certs = new ArrayList<>();
        for (PemText.Block block : PemText.blocks(pem)) {
            if (!READ_TYPES.contains(block.type())) {
                continue;
            }
            Object parsed = parseBlock(block);
            PrivateKey blockKey = toPrivateKey(block, parsed);
            if (blockKey != null) {
                if (key != null) {
                    throw new GeneralSecurityException("more than one private key in the PEM text (the second is "
                            + block.label() + "); keep only the node's own key");
                }
                key = blockKey;
            } else {
                X509Certificate cert = toCertificate(block, parsed);
                if (cert != null) {
                    certs.add(cert);
                }
            }
        }
        if (key == null) {
            throw new GeneralSecurityException("no private key found in the PEM text (expected a PRIVATE KEY"
                    + " or RSA PRIVATE KEY block)");
        }
        if (certs.isEmpty()) {
            throw new GeneralSecurityException("no certificate found in the PEM text (expected a CERTIFICATE block)");
        }
        X509Certificate own = null;
        for (X509Certificate c : certs) {
            if (matches(key, c.getPublicKey())) {
                own = c;
                break;
            }
        }
        if (own == null) {
            throw new GeneralSecurityException("the private key does not match "
                    + (certs.size() == 1 ? "the certificate" : "any of the " + certs.size() + " certificates")
                    + " in the PEM text (first: " + certs.get(0).getSubjectX500Principal().getName() + ")");
        }
        return new PemBundle(key, chainOf(own, certs), certs);
    }

    /** The node's private key. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The node's own certificate: the first one in the text that matches the private key. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /**
     * The chain the node presents: its own certificate, then the issuers found in the text, up to
     * a self-issued one or the first issuer that is missing.
     */
    public List<X509Certificate> certificateChain() {
        return chain;
    }

    /** Every certificate in the text, in text order: the CAs a peer's certificate must chain to. */
    public List<X509Certificate> trustedCertificates() {
        return trusted;
    }

    @Override
    public String toString() {
        return "PemBundle[" + certificate().getSubjectX500Principal().getName() + ", " + privateKey.getAlgorithm()
                + " key, " + trusted.size() + " trusted]";
    }

    private static Object parseBlock(PemText.Block block) throws GeneralSecurityException {
        try (PEMParser parser = new PEMParser(new StringReader(block.text()))) {
            return parser.readObject();
        } catch (IOException | RuntimeException e) {
            // BC reports bad base64 or DER as IOException or as assorted runtime exceptions
            throw new GeneralSecurityException("cannot parse " + block.label() + ": " + e.getMessage(), e);
        }
    }

    /** The private key in this block, or null if the block holds something else. */
    private static PrivateKey toPrivateKey(PemText.Block block, Object parsed) throws GeneralSecurityException {
        if (parsed instanceof PEMEncryptedKeyPair || parsed instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new GeneralSecurityException(block.label() + " is an encrypted private key; AEMP needs it"
                    + " unencrypted (as aemp gencert writes it)");
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (parsed instanceof PEMKeyPair pair) {
                // only the private half: an EC PRIVATE KEY may leave out its optional public key
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (parsed instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
        } catch (IOException | RuntimeException e) {
            throw new GeneralSecurityException("cannot read the private key in " + block.label() + ": "
                    + e.getMessage(), e);
        }
        return null;
    }

    /** The certificate in this block, or null if the block holds something else. */
    private static X509Certificate toCertificate(PemText.Block block, Object parsed) throws GeneralSecurityException {
        X509CertificateHolder holder = parsed instanceof X509TrustedCertificateBlock t
                ? t.getCertificateHolder()
                : parsed instanceof X509CertificateHolder h ? h : null;
        if (holder == null) {
            return null;
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new GeneralSecurityException("cannot read the certificate in " + block.label() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Whether the private key belongs to this public key: sign a random challenge and verify it.
     * Works for RSA, EC, DSA and EdDSA alike; a key type we cannot sign with never matches.
     */
    private static boolean matches(PrivateKey key, PublicKey pub) {
        if (!key.getAlgorithm().equals(pub.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(pub);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The node certificate followed by its issuers from the text, each verified by its issuer's key. */
    private static List<X509Certificate> chainOf(X509Certificate own, List<X509Certificate> certs) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(own);
        X509Certificate current = own;
        while (!current.getIssuerX500Principal().equals(current.getSubjectX500Principal())) {
            X509Certificate issuer = issuerOf(current, certs, chain);
            if (issuer == null) {
                break;
            }
            chain.add(issuer);
            current = issuer;
        }
        return chain;
    }

    private static X509Certificate issuerOf(X509Certificate cert, List<X509Certificate> certs,
                                            List<X509Certificate> exclude) {
        for (X509Certificate candidate : certs) {
            if (!exclude.contains(candidate)
                    && candidate.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                try {
                    cert.verify(candidate.getPublicKey());
                    return candidate;
                } catch (GeneralSecurityException | RuntimeException e) {
                    // same name, different key: keep looking
                }
            }
        }
        return null;
    }
}
