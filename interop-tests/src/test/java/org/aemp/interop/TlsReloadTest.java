package org.aemp.interop;

import static org.aemp.interop.TlsFixtures.CA1_NODE_A;
import static org.aemp.interop.TlsFixtures.CA1_NODE_B;
import static org.aemp.interop.TlsFixtures.CA2_NODE_A_TRUSTING_BOTH;
import static org.aemp.interop.TlsFixtures.CA2_NODE_Y;
import static org.aemp.interop.TlsFixtures.SELF_SIGNED;
import static org.aemp.interop.TlsFixtures.assertRoundTrip;
import static org.aemp.interop.TlsFixtures.plainNode;
import static org.aemp.interop.TlsFixtures.tlsNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.aemp.AempException;
import org.aemp.Node;
import org.aemp.examples.JavaEchoNode;
import org.aemp.interop.TlsFixtures.Watch;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.aemp.testing.logging.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.event.Level;

/** {@link Node#reloadCertificate}: new links use the new certificate; links already up stay up. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsReloadTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void newLinksUseTheReloadedCertificateAndExistingLinksStayUp(SslProvider impl, TestLogs logs) throws Exception {
        reload(impl, logs);
    }

    private void reload(SslProvider impl, TestLogs logs) throws InterruptedException {
        Node a = nodes.start("a", c -> tlsNode(c, CA1_NODE_A, impl, new Watch()));
        Node b = nodes.start("b", c -> tlsNode(c, CA1_NODE_B, impl, new Watch()));
        Node y = nodes.start("y", c -> tlsNode(c, CA2_NODE_Y, impl, new Watch()));
        JavaEchoNode.serve(a);
        JavaEchoNode.serve(b);
        JavaEchoNode.serve(y);
        assertRoundTrip(b, a, 1);
        Probe<String> linkEvents = new Probe<>();
        b.monitorNodes((node, up, reason) -> linkEvents.put(node + (up ? " up" : " down " + reason.values())));

        // y trusts only CA 2: refused while a has its CA 1 certificate ...
        assertFails(y.connect(a.listenAddresses().get(0)));
        logs.await(Duration.ofSeconds(10), Level.WARN,
                LogPatterns.inOrder("handshake with node y ", "failed: TLS handshake failed"));
        a.reloadCertificate(CA2_NODE_A_TRUSTING_BOTH);
        // ... accepted once a has one from CA 2
        assertRoundTrip(y, a, 2);
        assertRoundTrip(a, y, 3);

        // the link with b was made with the old certificate and is still the same link
        assertRoundTrip(b, a, 4);
        assertRoundTrip(a, b, 5);
        assertThat(linkEvents.isEmpty()).as("b's link with a neither went down nor came up again").isTrue();
        assertThat(a.upNodes()).containsExactlyInAnyOrder("b", "y");

        // a new peer trusting only CA 1, as b does, now refuses a's new certificate
        Node d = nodes.start("d", c -> tlsNode(c, CA1_NODE_B, impl, new Watch()));
        assertFails(d.connect(a.listenAddresses().get(0)));
        assertThat(logs.await(Duration.ofSeconds(10), Level.WARN,
                LogPatterns.inOrder("handshake with node a ", "failed: TLS handshake failed")).toString())
                .containsPattern("(?i)certif|unknown_ca");
        assertThat(logs.await(Duration.ofSeconds(10), Level.WARN,
                LogPatterns.inOrder("handshake with node d ", "failed: TLS handshake failed")).toString())
                .containsPattern("(?i)certif|unknown_ca");
    }

    @Test
    void anUnusableCertificateIsRefusedAndTheOldOneStaysInUse() {
        Node a = nodes.start("a", c -> tlsNode(c, SELF_SIGNED, SslProvider.OPENSSL, new Watch()));
        JavaEchoNode.serve(a);
        assertThatThrownBy(() -> a.reloadCertificate("-----BEGIN CERTIFICATE-----\nnot base64\n"
                + "-----END CERTIFICATE-----\n")).isInstanceOf(AempException.class)
                .hasMessageContaining("the certificate (cert) cannot be used");
        Node b = nodes.start("b", c -> tlsNode(c, SELF_SIGNED, SslProvider.JDK, new Watch()));
        JavaEchoNode.serve(b);
        assertRoundTrip(b, a, 1);
    }

    @Test
    void aNodeStartedWithoutCertificateCannotReloadOne() {
        Node p = nodes.start("p", c -> plainNode(c, new Watch()).secret("s3cret"));
        assertThatThrownBy(() -> p.reloadCertificate(SELF_SIGNED)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("started without a certificate");
    }

    private static void assertFails(CompletableFuture<String> link) {
        assertThatThrownBy(() -> link.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("TLS handshake failed");
    }

}
