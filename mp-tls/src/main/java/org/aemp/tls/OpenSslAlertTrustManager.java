package org.aemp.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.internal.tcnative.CertificateVerifier;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateRevokedException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The peer check for the OpenSSL (BoringSSL) implementation: the JDK's PKIX trust manager over the
 * trusted certificates of the PEM, as {@code SslContextBuilder.trustManager(X509Certificate...)}
 * would build it, but with each refusal labelled so that BoringSSL sends the TLS alert OpenSSL
 * sends. Netty passes a refusal it cannot classify to BoringSSL as "unspecified", and the peer
 * then receives {@code internal_error}, which tells it (a Perl node, say) nothing about why. Here a
 * chain that leads to no trusted certificate gives {@code unknown_ca}, and any other refusal Netty
 * cannot classify gives {@code bad_certificate}; the ones it can (expired, not yet valid, revoked)
 * pass through unchanged. The original exception stays the cause, so the local log keeps the reason.
 *
 * <p>Use only with the OpenSSL implementation: the labels need netty-tcnative's native library.
 * Thread-safe, as the JDK's trust manager is.
 */
final class OpenSslAlertTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;

    private OpenSslAlertTrustManager(X509ExtendedTrustManager pkix) {
        this.pkix = pkix;
    }

    /** A trust manager that accepts peers whose chain leads to one of {@code trusted}. */
    static OpenSslAlertTrustManager trusting(List<X509Certificate> trusted) throws GeneralSecurityException {
        // the labels are native constants: touching them before the library loads breaks them for good
        if (!OpenSsl.isAvailable()) {
            throw new GeneralSecurityException("OpenSSL (netty-tcnative) is not available here: "
                    + OpenSsl.unavailabilityCause(), OpenSsl.unavailabilityCause());
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot make an empty key store: " + e.getMessage(), e);
        }
        for (int i = 0; i < trusted.size(); i++) {
            store.setCertificateEntry("trusted-" + i, trusted.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return new OpenSslAlertTrustManager(x);
            }
        }
        throw new GeneralSecurityException("the JDK's " + factory.getAlgorithm()
                + " trust manager factory made no X509ExtendedTrustManager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            pkix.checkClientTrusted(chain, authType);
        } catch (CertificateException e) {
            throw labelled(e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            pkix.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw labelled(e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        try {
            pkix.checkClientTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw labelled(e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        try {
            pkix.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw labelled(e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        try {
            pkix.checkClientTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw labelled(e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        try {
            pkix.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw labelled(e);
        }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }

    /** The refusal with the OpenSSL verify error that makes BoringSSL send the right alert. */
    static CertificateException labelled(CertificateException e) {
        if (e instanceof OpenSslCertificateException || classifiedByNetty(e)) {
            return e;
        }
        int error = causedBy(e, CertPathBuilderException.class)
                ? CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY // alert unknown_ca
                : CertificateVerifier.X509_V_ERR_CERT_REJECTED; // alert bad_certificate
        return new OpenSslCertificateException(e.getMessage(), e, error);
    }

    /** Refusals Netty turns into a verify error itself (its {@code AbstractCertificateVerifier}). */
    private static boolean classifiedByNetty(CertificateException e) {
        if (e instanceof CertificateExpiredException || e instanceof CertificateNotYetValidException
                || e instanceof CertificateRevokedException) {
            return true;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException v) {
                var reason = v.getReason();
                if (reason == CertPathValidatorException.BasicReason.EXPIRED
                        || reason == CertPathValidatorException.BasicReason.NOT_YET_VALID
                        || reason == CertPathValidatorException.BasicReason.REVOKED) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
