package org.aemp.interop;

import static org.aemp.interop.TlsFixtures.CA1_NODE_A;
import static org.aemp.interop.TlsFixtures.CA1_NODE_B;
import static org.aemp.interop.TlsFixtures.CA2_NODE_Y;
import static org.aemp.interop.TlsFixtures.IMPLEMENTATIONS;
import static org.aemp.interop.TlsFixtures.SELF_SIGNED;
import static org.aemp.interop.TlsFixtures.assertRoundTrip;
import static org.aemp.interop.TlsFixtures.plainNode;
import static org.aemp.interop.TlsFixtures.tlsNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.aemp.Node;
import org.aemp.examples.JavaEchoNode;
import org.aemp.interop.TlsFixtures.Watch;
import org.aemp.testing.TestNodes;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.event.Level;

/**
 * What a node with a certificate refuses, and what it falls back to: each refusal leaves a WARN
 * line in the log that says why (for BoringSSL too, whose own message says nothing), and the node
 * keeps serving the link it already has with {@code b}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsRefusalTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    static Stream<Arguments> pairings() {
        List<Arguments> all = new ArrayList<>();
        for (SslProvider a : IMPLEMENTATIONS) {
            for (SslProvider y : IMPLEMENTATIONS) {
                all.add(Arguments.of(a, y));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "a {0}, y {1}")
    @MethodSource("pairings")
    void aPeerWithACertificateFromAnotherCaIsRefused(SslProvider implA, SslProvider implY, TestLogs logs)
            throws Exception {
        Node a = nodes.start("a", c -> tlsNode(c, CA1_NODE_A, implA, new Watch()));
        Node b = nodes.start("b", c -> tlsNode(c, CA1_NODE_B, implA, new Watch()));
        JavaEchoNode.serve(a);
        JavaEchoNode.serve(b);
        assertRoundTrip(b, a, 1);

        Node y = nodes.start("y", c -> tlsNode(c, CA2_NODE_Y, implY, new Watch()));
        assertFails(y.connect(a.listenAddresses().get(0)), "TLS handshake failed");
        assertClearTlsError(awaitWarn(logs, "handshake with node y ", "failed: TLS handshake failed"));
        assertClearTlsError(awaitWarn(logs, "handshake with node a ", "failed: TLS handshake failed"));

        assertRoundTrip(b, a, 2);
        assertRoundTrip(a, b, 3);
        assertThat(a.upNodes()).containsExactly("b");
    }

    /** Waits for a log line of level WARN holding {@code parts} in this order, and returns it as printed. */
    private static String awaitWarn(TestLogs logs, String... parts) {
        return logs.await(PATIENCE, Level.WARN, LogPatterns.inOrder(parts)).toString();
    }

    /** The log line names a reason, not just BoringSSL's "General OpenSslEngine problem". */
    private static void assertClearTlsError(String line) {
        assertThat(line).contains("WARN").containsPattern("(?i)certif|unknown_ca|bad_certificate|PKIX");
    }

    @ParameterizedTest(name = "the node that demands TLS dials: {0}")
    @ValueSource(booleans = {false, true})
    void aPlainPeerIsRefusedWhenTlsIsDemanded(boolean demanderDials, TestLogs logs) throws Exception {
        Node a = nodes.start("a", c -> tlsNode(c, SELF_SIGNED, SslProvider.OPENSSL, new Watch())
                .secret("s3cret").authAccept(List.of("tls_sha3_512", "tls_anon")));
        Node b = nodes.start("b", c -> tlsNode(c, SELF_SIGNED, SslProvider.JDK, new Watch()).secret("s3cret"));
        JavaEchoNode.serve(a);
        JavaEchoNode.serve(b);
        assertRoundTrip(b, a, 1);

        Watch wp = new Watch();
        Node p = nodes.start("p", c -> plainNode(c, wp).secret("s3cret"));
        assertFails(demanderDials ? a.connect(p.listenAddresses().get(0)) : p.connect(a.listenAddresses().get(0)),
                demanderDials ? "offers no TLS" : "no common auth type supported");
        assertThat(awaitWarn(logs, "handshake with node p ", "failed: node p offers no TLS")).contains("WARN")
                .contains("no tls=1.0 in its greeting", "this node accepts only tls_sha3_512,tls_anon");
        assertThat(awaitWarn(logs, "handshake with node a ", "failed: tls_sha3_512,tls_anon: no common auth"
                + " type supported")).contains("the peer accepts only TLS, and this node has no certificate");
        assertThat(wp.auth).as("p never sends an auth line").isEmpty();

        assertRoundTrip(b, a, 2);
        assertRoundTrip(a, b, 3);
        assertThat(a.upNodes()).containsExactly("b");
    }

    /** PROTOCOL.md 6: TLS needs both sides to announce it; otherwise the shared secret is used. */
    @Test
    void aNodeWithACertificateFallsBackToTheSharedSecretWithANodeWithout() {
        Watch wa = new Watch();
        Watch wp = new Watch();
        Node a = nodes.start("a", c -> tlsNode(c, SELF_SIGNED, SslProvider.OPENSSL, wa).secret("s3cret"));
        Node p = nodes.start("p", c -> plainNode(c, wp).secret("s3cret"));
        JavaEchoNode.serve(a);
        JavaEchoNode.serve(p);
        assertRoundTrip(p, a, 1);
        assertRoundTrip(a, p, 2);
        assertThat(wa.auth).containsExactlyInAnyOrder("sent hmac_sha3_512", "received hmac_sha3_512");
        assertThat(wp.auth).containsExactlyInAnyOrder("sent hmac_sha3_512", "received hmac_sha3_512");
        assertThat(wa.roles).as("no TLS engine made").isEmpty();
    }

    @Test
    void withoutASecretANodeWithACertificateRefusesAPlainPeer(TestLogs logs) throws Exception {
        Node a = nodes.start("a", c -> tlsNode(c, SELF_SIGNED, SslProvider.JDK, new Watch()));
        Node p = nodes.start("p", c -> plainNode(c, new Watch()).secret("s3cret"));
        assertFails(p.connect(a.listenAddresses().get(0)), "no common auth type supported");
        assertThat(awaitWarn(logs, "handshake with node p ", "failed: node p offers no TLS"))
                .contains("this node accepts only tls_sha3_512,tls_anon");
        assertThat(awaitWarn(logs, "handshake with node a ", "failed: tls_sha3_512,tls_anon: no common auth"
                + " type supported")).contains("the peer accepts only TLS, and this node has no certificate");
    }

    private static void assertFails(CompletableFuture<String> link, String reason) {
        assertThatThrownBy(() -> link.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining(reason);
    }
}
