package org.aemp.tls;

import static org.aemp.tls.TestCertificates.NODE_A;
import static org.aemp.tls.TestCertificates.NODE_B;
import static org.aemp.tls.TestCertificates.NODE_X_TRUSTS_BOTH;
import static org.aemp.tls.TestCertificates.NODE_Y;
import static org.aemp.tls.TestCertificates.SELF_SIGNED;
import static org.aemp.tls.TestCertificates.context;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.aemp.spi.TlsContext;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real TLS handshakes over loopback TCP between two nodes' engines, for every pairing of
 * implementations (BoringSSL and JDK, both ways). In every test the side that <em>accepted</em> the
 * TCP connection is the TLS client, as AEMP's nonce rule may decide, to show the TLS role does not
 * follow the TCP role.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsHandshakeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** (acceptor's implementation, dialer's implementation): both pure pairings and both mixed ones. */
    static Stream<Arguments> pairings() {
        List<Arguments> all = new ArrayList<>();
        for (SslProvider acceptor : TestCertificates.IMPLEMENTATIONS) {
            for (SslProvider dialer : TestCertificates.IMPLEMENTATIONS) {
                all.add(Arguments.of(acceptor, dialer));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "acceptor {0} as TLS client, dialer {1} as TLS server")
    @MethodSource("pairings")
    void nodesSharingOneSelfSignedCertificateTalk(SslProvider acceptor, SslProvider dialer) throws Exception {
        assertTalk(context(acceptor, SELF_SIGNED), context(dialer, SELF_SIGNED), SELF_SIGNED, SELF_SIGNED);
    }

    @ParameterizedTest(name = "acceptor {0} as TLS client, dialer {1} as TLS server")
    @MethodSource("pairings")
    void nodesWithCertificatesFromOneCaTalk(SslProvider acceptor, SslProvider dialer) throws Exception {
        assertTalk(context(acceptor, NODE_A), context(dialer, NODE_B), NODE_A, NODE_B);
    }

    @ParameterizedTest(name = "acceptor {0} as TLS client, dialer {1} as TLS server")
    @MethodSource("pairings")
    void nodesFromDifferentCasRefuseEachOther(SslProvider acceptor, SslProvider dialer) throws Exception {
        try (TlsLoopback loop = new TlsLoopback()) {
            TlsLoopback.Link link = connect(loop, context(acceptor, NODE_A), context(dialer, NODE_Y));
            assertRefused(link.acceptor(), link.dialer());
            assertRefused(link.dialer(), link.acceptor());
        }
    }

    @ParameterizedTest(name = "acceptor {0} as TLS client, dialer {1} as TLS server")
    @MethodSource("pairings")
    void clientRefusesServerCertificateFromUnknownCa(SslProvider acceptor, SslProvider dialer) throws Exception {
        // node A trusts only CA 1; node X (CA 2) trusts both, so only A can object
        try (TlsLoopback loop = new TlsLoopback()) {
            TlsLoopback.Link link = connect(loop, context(acceptor, NODE_A), context(dialer, NODE_X_TRUSTS_BOTH));
            assertRefused(link.acceptor(), link.dialer());
        }
    }

    @ParameterizedTest(name = "acceptor {0} as TLS client, dialer {1} as TLS server")
    @MethodSource("pairings")
    void serverRefusesClientCertificateFromUnknownCa(SslProvider acceptor, SslProvider dialer) throws Exception {
        try (TlsLoopback loop = new TlsLoopback()) {
            TlsLoopback.Link link = connect(loop, context(acceptor, NODE_X_TRUSTS_BOTH), context(dialer, NODE_A));
            assertRefused(link.dialer(), link.acceptor());
        }
    }

    @ParameterizedTest(name = "acceptor {0} as TLS client without certificate, dialer {1} as TLS server")
    @MethodSource("pairings")
    void serverRefusesClientWithoutCertificate(SslProvider acceptor, SslProvider dialer) throws Exception {
        SSLEngine anonymousClient = SslContextBuilder.forClient()
                .trustManager(PemBundle.parse(SELF_SIGNED).trustedCertificates())
                .endpointIdentificationAlgorithm(null)
                .protocols("TLSv1.3", "TLSv1.2")
                .sslProvider(acceptor)
                .build()
                .newEngine(ByteBufAllocator.DEFAULT);
        TlsContext server = context(dialer, SELF_SIGNED);
        try (TlsLoopback loop = new TlsLoopback()) {
            TlsLoopback.Link link = loop.connect(() -> anonymousClient, () -> server.newEngine(false));
            assertRefused(link.dialer(), link.acceptor());
        }
    }

    private static TlsLoopback.Link connect(TlsLoopback loop, TlsContext acceptor, TlsContext dialer)
            throws InterruptedException {
        return loop.connect(() -> acceptor.newEngine(true), () -> dialer.newEngine(false));
    }

    private static void assertTalk(TlsContext acceptorCtx, TlsContext dialerCtx, String acceptorPem, String dialerPem)
            throws Exception {
        try (TlsLoopback loop = new TlsLoopback()) {
            TlsLoopback.Link link = connect(loop, acceptorCtx, dialerCtx);
            assertThat(link.dialer().received).succeedsWithin(WAIT).isEqualTo(TlsLoopback.FROM_ACCEPTOR);
            assertThat(link.acceptor().received).succeedsWithin(WAIT).isEqualTo(TlsLoopback.FROM_DIALER);

            SSLSession acceptorSession = link.acceptor().handshake.join();
            SSLSession dialerSession = link.dialer().handshake.join();
            assertThat(acceptorSession.getProtocol()).isEqualTo("TLSv1.3");
            assertThat(peerCertificate(acceptorSession)).isEqualTo(ownCertificate(dialerPem));
            assertThat(peerCertificate(dialerSession)).isEqualTo(ownCertificate(acceptorPem));
        }
    }

    /**
     * The refusing side's handshake fails with a TLS error, both ends close, and no application
     * data gets through. (With TLS 1.3 the client's own handshake may have succeeded before the
     * server rejects its certificate, so the refused side is only required to be cut off.)
     */
    private static void assertRefused(TlsLoopback.Side refusing, TlsLoopback.Side refused) {
        assertThat(refusing.handshake).failsWithin(WAIT).withThrowableThat().havingCause()
                .isInstanceOf(SSLException.class);
        assertThat(refusing.closed).succeedsWithin(WAIT);
        assertThat(refused.closed).succeedsWithin(WAIT);
        assertThat(refusing.received).isNotDone();
        assertThat(refused.received).isNotDone();
    }

    private static X509Certificate peerCertificate(SSLSession session) throws SSLException {
        return (X509Certificate) session.getPeerCertificates()[0];
    }

    private static X509Certificate ownCertificate(String pem) throws GeneralSecurityException {
        return PemBundle.parse(pem).certificate();
    }
}
