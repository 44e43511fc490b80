package org.aemp.tls;

import static java.util.Objects.requireNonNull;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
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
 * INFO. Two ways force one: for every node of the JVM, the system property
 * {@value #IMPLEMENTATION_PROPERTY} ({@code jdk} or {@code openssl}), read by the no-argument
 * constructor, that is, each time a node starts; for one node,
 * {@code NodeConfig.builder().tlsProvider(new AempTlsProvider(SslProvider.JDK))}. Found through
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

    /**
     * The system property that forces the implementation of {@link #AempTlsProvider()}: {@code jdk}
     * or {@code openssl} (any case); unset or empty means "the best available".
     */
    public static final String IMPLEMENTATION_PROPERTY = "org.aemp.tls.implementation";

    private final SslProvider provider;
    /** Why the implementation named by the system property cannot be used, or null. */
    private final String unusable;

    /**
     * The provider with the implementation named by the system property
     * {@value #IMPLEMENTATION_PROPERTY}, or else the best one available here, as
     * {@link java.util.ServiceLoader} creates it. Never throws: if the property names an
     * implementation that cannot be used, {@link #newContext} fails and says why.
     */
    public AempTlsProvider() {
        String forced = System.getProperty(IMPLEMENTATION_PROPERTY, "").trim();
        if (forced.isEmpty()) {
            this.provider = AutoChoice.PROVIDER;
            this.unusable = null;
        } else if (forced.equalsIgnoreCase("jdk")) {
            this.provider = SslProvider.JDK;
            this.unusable = null;
        } else if (forced.equalsIgnoreCase("openssl")) {
            this.provider = SslProvider.OPENSSL;
            this.unusable = OpenSsl.isAvailable() ? null : "OpenSSL (netty-tcnative) is not available here: "
                    + OpenSsl.unavailabilityCause();
        } else {
            this.provider = AutoChoice.PROVIDER;
            this.unusable = "unknown TLS implementation '" + forced + "'; expected jdk or openssl";
        }
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
        this.unusable = null;
    }

    /** The implementation this provider uses: {@link SslProvider#OPENSSL} or {@link SslProvider#JDK}. */
    public SslProvider sslProvider() {
        return provider;
    }

    /**
     * Reads the PEM text ({@link PemBundle#parse}) and builds a server and a client context from it.
     *
     * @throws GeneralSecurityException if the PEM text is unusable, the TLS implementation refuses
     *     the key or certificates, or the system property names an implementation that cannot be
     *     used; the message says which
     */
    @Override
    public TlsContext newContext(String pem) throws GeneralSecurityException {
        if (unusable != null) {
            throw new GeneralSecurityException("system property " + IMPLEMENTATION_PROPERTY + ": " + unusable);
        }
        PemBundle bundle = PemBundle.parse(pem);
        // BoringSSL needs refusals labelled to send a meaningful alert; the JDK sends certificate_unknown
        TrustManager trust = provider == SslProvider.OPENSSL
                ? OpenSslAlertTrustManager.trusting(bundle.trustedCertificates()) : null;
        KeyManager keys = NodeKeyManager.of(bundle.privateKey(), bundle.certificateChain());
        try {
            SslContextBuilder serverBuilder = SslContextBuilder.forServer(keys).clientAuth(ClientAuth.REQUIRE);
            SslContextBuilder clientBuilder = SslContextBuilder.forClient().keyManager(keys);
            if (trust != null) {
                serverBuilder.trustManager(trust);
                clientBuilder.trustManager(trust);
            } else {
                serverBuilder.trustManager(bundle.trustedCertificates());
                clientBuilder.trustManager(bundle.trustedCertificates());
            }
            SslContext server = serverBuilder
                    .protocols(PROTOCOLS)
                    .sslProvider(provider)
                    .build();
            SslContext client = clientBuilder
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
