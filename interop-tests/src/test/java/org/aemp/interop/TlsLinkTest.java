package org.aemp.interop;

import static org.aemp.interop.TlsFixtures.CA1_NODE_A;
import static org.aemp.interop.TlsFixtures.CA1_NODE_B;
import static org.aemp.interop.TlsFixtures.IMPLEMENTATIONS;
import static org.aemp.interop.TlsFixtures.SELF_SIGNED;
import static org.aemp.interop.TlsFixtures.assertRoundTrip;
import static org.aemp.interop.TlsFixtures.tlsNode;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.PortId;
import org.aemp.examples.JavaEchoNode;
import org.aemp.interop.TlsFixtures.Watch;
import org.aemp.testing.Poll;
import org.aemp.testing.Probe;
import org.aemp.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Java to Java over TLS, on real loopback sockets: every pairing of TLS implementations (BoringSSL
 * and the JDK's, both mixed ways), with one shared self-signed certificate and with certificates
 * from one CA. Messages, spawn, monitors and {@code cal} work, each side sends and checks
 * {@code tls_sha3_512} (though both have a shared secret too), the TLS roles follow the nonces
 * whoever dialled, and TLS 1.3 is negotiated.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsLinkTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    static Stream<Arguments> pairings() {
        List<Arguments> all = new ArrayList<>();
        for (String certs : List.of("one self-signed certificate", "certificates from one CA")) {
            for (SslProvider a : IMPLEMENTATIONS) {
                for (SslProvider b : IMPLEMENTATIONS) {
                    all.add(Arguments.of(a, b, certs));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "a {0}, b {1}, {2}")
    @MethodSource("pairings")
    void messagesSpawnMonitorsAndCalWorkOverTls(SslProvider implA, SslProvider implB, String certs) throws Exception {
        boolean fromCa = certs.contains("CA");
        Watch wa = new Watch();
        Watch wb = new Watch();
        Node a = nodes.start("a", c -> tlsNode(c, fromCa ? CA1_NODE_A : SELF_SIGNED, implA, wa).secret("s3cret"));
        Node b = nodes.start("b", c -> tlsNode(c, fromCa ? CA1_NODE_B : SELF_SIGNED, implB, wb).secret("s3cret"));
        JavaEchoNode.serve(a);
        JavaEchoNode.serve(b);

        // messages both ways over the one link b dials
        assertRoundTrip(b, a, 1);
        assertRoundTrip(a, b, 2);
        assertThat(a.upNodes()).containsExactly("b");
        assertThat(b.upNodes()).containsExactly("a");

        // cal
        assertThat(b.call(PATIENCE, new PortId("a", "rpc"), "add", 1, 2).get(10, TimeUnit.SECONDS))
                .containsExactly("rpc_reply", "add", 1, 2);

        // spawn on a, talk to the new port, monitor it from b, kill it with a reason
        Probe<List<Object>> got = new Probe<>();
        PortId reply = b.newPort((ctx, msg) -> got.put(msg));
        PortId spawned = b.spawn("a", "InteropSpawn::echo", reply.toString(), "arg1", 42);
        assertThat(got.next()).containsExactly("spawned", spawned.toString(), "arg1", 42);
        Probe<KillReason> downAtB = new Probe<>();
        b.monitor(spawned, downAtB::put);
        b.send(spawned, "hello");
        assertThat(got.next()).containsExactly("echo", spawned.toString(), "hello");
        b.send(spawned, "kil", "custom_reason", "detail");
        assertThat(downAtB.next().values()).containsExactly("custom_reason", "detail");

        // a monitors a port of b and kills it remotely
        Probe<KillReason> downAtA = new Probe<>();
        a.monitor(reply, downAtA::put);
        a.kill(reply, "remote", "kill");
        assertThat(downAtA.next().values()).containsExactly("remote", "kill");

        // how: tls_sha3_512 both ways, one TLS client and one server, TLS 1.3, the implementations asked for
        assertThat(wa.auth).containsExactlyInAnyOrder("sent tls_sha3_512", "received tls_sha3_512");
        assertThat(wb.auth).containsExactlyInAnyOrder("sent tls_sha3_512", "received tls_sha3_512");
        assertThat(wa.roles).hasSize(1);
        assertThat(wb.roles).hasSize(1);
        assertThat(List.of(wa.roles.get(0), wb.roles.get(0))).containsExactlyInAnyOrder("client", "server");
        assertSession(wa.engines.get(0), implA);
        assertSession(wb.engines.get(0), implB);
    }

    private static void assertSession(SSLEngine engine, SslProvider implementation) {
        assertThat(engine.getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(engine instanceof ReferenceCountedOpenSslEngine).as("an OpenSSL engine")
                .isEqualTo(implementation == SslProvider.OPENSSL);
    }

    static final List<SslProvider> implementations = IMPLEMENTATIONS;

    /**
     * The TLS role follows the nonces, so it changes from link to link: over fresh links to peers
     * using the other implementation (dialled by either side), {@code a} ends up as TLS client
     * and as TLS server, and every link carries messages.
     */
    @ParameterizedTest(name = "a {0}, peers the other implementation")
    @FieldSource("implementations")
    void eachImplementationTakesBothTlsRolesAgainstTheOther(SslProvider implA) {
        SslProvider other = implA == SslProvider.OPENSSL ? SslProvider.JDK : SslProvider.OPENSSL;
        Watch wa = new Watch();
        Node a = nodes.start("a", c -> tlsNode(c, SELF_SIGNED, implA, wa));
        JavaEchoNode.serve(a);
        for (int i = 1; i <= 30 && !(wa.roles.contains("client") && wa.roles.contains("server")); i++) {
            Watch wp = new Watch();
            Node peer = nodes.start("p" + i, c -> tlsNode(c, SELF_SIGNED, other, wp));
            JavaEchoNode.serve(peer);
            if (i % 2 == 0) {
                assertRoundTrip(peer, a, i);
                assertRoundTrip(a, peer, i);
            } else {
                assertRoundTrip(a, peer, i);
                assertRoundTrip(peer, a, i);
            }
            assertThat(wp.auth).containsExactlyInAnyOrder("sent tls_sha3_512", "received tls_sha3_512");
            assertThat(wp.roles).hasSize(1).doesNotContain(wa.roles.get(wa.roles.size() - 1));
            peer.close();
        }
        assertThat(wa.roles).as("a's TLS roles").contains("client", "server");
    }

    /**
     * A TLS peer that ends its stream (close_notify, then FIN) while a busy mailbox holds the link
     * up: the messages the node read meanwhile are still delivered once the port catches up, as on
     * a plain link ({@link LinkUpBackpressureTest}). The TLS layer sits between the socket and the
     * frame handler, so the end of the stream has to pass through it.
     */
    @ParameterizedTest(name = "{0}")
    @FieldSource("implementations")
    void messagesHeldBackByABusyMailboxAreDeliveredAfterATlsPeerCloses(SslProvider implementation) throws Exception {
        int busy = 10;
        int count = 2_000;
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong got = new AtomicLong();
        Node a = nodes.start("a", c -> tlsNode(c, SELF_SIGNED, implementation, new Watch()).mailboxBusyMessages(busy));
        Node b = nodes.start("b", c -> tlsNode(c, SELF_SIGNED, implementation, new Watch()));
        JavaEchoNode.serve(a);
        a.receive(new PortId("a", "sink"), (ctx, m) -> {
            release.await(30, TimeUnit.SECONDS);
            got.incrementAndGet();
        });
        assertRoundTrip(b, a, 1);
        for (int i = 0; i < count; i++) {
            b.send(new PortId("a", "sink"), i, "x");
        }
        Poll.until(PATIENCE, () -> LinkUpBackpressureTest.mailbox(a) >= busy); // a reads, finds the mailbox busy, stops
        Thread.sleep(100); // had it not paused, the mailbox would grow meanwhile
        assertThat(LinkUpBackpressureTest.mailbox(a)).as("messages waiting in the port's mailbox").isBetween(busy, busy + 1);
        assertThat(b.close(Duration.ofSeconds(10))).as("messages b could not send").isZero();
        Thread.sleep(300); // a sees the end of the stream
        release.countDown();
        Poll.until(PATIENCE, () -> got.get() >= count);
        assertThat(got.get()).as("messages the port got of the %d sent", count).isEqualTo(count);
    }

    /** No secret anywhere and no provider given: mp-tls is found on the class path, the certificates authenticate. */
    @Test
    void certificatesAloneAuthenticateWithTheDiscoveredProvider() {
        Node a = nodes.start("a", c -> JavaEchoNode.functions(c).binds(List.of("127.0.0.1:0")).cert(SELF_SIGNED));
        Node b = nodes.start("b", c -> JavaEchoNode.functions(c).binds(List.of("127.0.0.1:0")).cert(SELF_SIGNED));
        JavaEchoNode.serve(a);
        JavaEchoNode.serve(b);
        assertRoundTrip(b, a, 1);
        assertRoundTrip(a, b, 2);
    }
}
