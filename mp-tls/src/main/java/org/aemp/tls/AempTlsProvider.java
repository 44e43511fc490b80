package org.aemp.tls;

import static java.util.Objects.requireNonNull;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLException;
import org.aemp.spi.TlsContext;
import org.aemp.spi.TlsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS provider: builds Netty {@link SslContext}s with the settings Perl AnyEvent::MP 2.02 uses
 * (PROTOCOL.md §6). Mutual authentication: the server side requires a client certificate and both
 * sides verify the peer against {@link PemBundle#trustedCertificates()}; TLS 1.3 and 1.2; no host
 * name check, since AEMP peers are known by node ID and certificate, not by host name.
 *
 * <p>The implementation is BoringSSL through netty-tcnative ({@link SslProvider#OPENSSL}) when
 * its native library loads, else the JDK's ({@link SslProvider#JDK}); the choice is logged once at
 * INFO. {@link #AempTlsProvider(SslProvider)} forces one. Found through
 * {@code META-INF/services/org.aemp.spi.TlsProvider}. Thread-safe.
 *
 * <p><b>Engines.</b> {@link TlsContext#newEngine} returns a new engine per link. OpenSSL engines
 * hold native memory and are {@link io.netty.util.ReferenceCounted reference counted}: Netty's
 * {@link io.netty.handler.ssl.SslHandler} releases its engine when it leaves the pipeline or the
 * channel closes, so an engine given to an {@code SslHandler} needs nothing more, and one that
 * never reaches an {@code SslHandler} should be released with
 * {@link io.netty.util.ReferenceCountUtil#release(Object)} (a no-op for JDK engines). The
 * contexts themselves are not reference counted and need no closing.
 *
 * <p><b>Failures.</b> A refused peer certificate fails the handshake with an
 * {@link javax.net.ssl.SSLHandshakeException}. With OpenSSL its message can be as vague as
 * {@code General OpenSslEngine problem}, and the peer then receives an {@code internal_error}
 * alert; the reason (e.g. {@code PKIX path building failed}) is in the exception's cause chain,
 * so log the cause.
 */
public final class AempTlsProvider implements TlsProvider {
    private static final Logger log = LoggerFactory.getLogger(AempTlsProvider.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslProvider provider;

    /** The provider with the best implementation available here, as {@link java.util.ServiceLoader} creates it. */
    public AempTlsProvider() {
        this.provider = AutoChoice.PROVIDER;
    }

    /**
     * The provider using exactly this implementation.
     *
     * @param provider {@link SslProvider#OPENSSL} or {@link SslProvider#JDK}
     * @throws IllegalArgumentException for {@link SslProvider#OPENSSL_REFCNT}: its contexts would need
     *     releasing, which {@link TlsContext} has no way to do
     * @throws IllegalStateException for {@link SslProvider#OPENSSL} when netty-tcnative did not load
     */
    public AempTlsProvider(SslProvider provider) {
        requireNonNull(provider, "provider");
        if (provider == SslProvider.OPENSSL_REFCNT) {
            throw new IllegalArgumentException("provider must be OPENSSL or JDK: " + provider);
        }
        if (provider == SslProvider.OPENSSL && !OpenSsl.isAvailable()) {
            throw new IllegalStateException("OpenSSL (netty-tcnative) is not available here: "
                    + OpenSsl.unavailabilityCause(), OpenSsl.unavailabilityCause());
        }
        this.provider = provider;
    }

    /** The implementation this provider uses: {@link SslProvider#OPENSSL} or {@link SslProvider#JDK}. */
    public SslProvider sslProvider() {
        return provider;
    }

    /**
     * Reads the PEM text ({@link PemBundle#parse}) and builds a server and a client context from it.
     *
     * @throws GeneralSecurityException if the PEM text is unusable, or the TLS implementation refuses
     *     the key or certificates; the message says which
     */
    @Override
    public TlsContext newContext(String pem) throws GeneralSecurityException {
        PemBundle bundle = PemBundle.parse(pem);
        try {
            SslContext server = SslContextBuilder.forServer(bundle.privateKey(), bundle.certificateChain())
                    .clientAuth(ClientAuth.REQUIRE)
                    .trustManager(bundle.trustedCertificates())
                    .protocols(PROTOCOLS)
                    .sslProvider(provider)
                    .build();
            SslContext client = SslContextBuilder.forClient()
                    .keyManager(bundle.privateKey(), bundle.certificateChain())
                    .trustManager(bundle.trustedCertificates())
                    .protocols(PROTOCOLS)
                    // Netty 4.2 checks the host name by default; AEMP (like Perl's verify_peername unset) does not
                    .endpointIdentificationAlgorithm(null)
                    .sslProvider(provider)
                    .build();
            return new NettyTlsContext(server, client, describe(provider));
        } catch (SSLException | RuntimeException e) {
            throw new GeneralSecurityException("cannot set up TLS (" + describe(provider) + ") with the key and"
                    + " certificates of " + bundle + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "AempTlsProvider[" + describe(provider) + "]";
    }

    static String describe(SslProvider provider) {
        return provider == SslProvider.JDK ? "JDK" : "OpenSSL (" + OpenSsl.versionString() + ")";
    }

    /** Decides once per class loader, on first use, and logs the decision. */
    private static final class AutoChoice {
        static final SslProvider PROVIDER = choose();

        private static SslProvider choose() {
            if (OpenSsl.isAvailable()) {
                log.info("TLS: using {} through netty-tcnative", describe(SslProvider.OPENSSL));
                return SslProvider.OPENSSL;
            }
            Throwable cause = OpenSsl.unavailabilityCause();
            log.info("TLS: using the JDK's implementation; OpenSSL (netty-tcnative) is not available: {}",
                    cause == null ? "unknown reason" : cause.toString());
            return SslProvider.JDK;
        }
    }
}
