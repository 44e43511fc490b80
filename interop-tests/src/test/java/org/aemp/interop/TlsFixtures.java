package org.aemp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLEngine;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;
import org.aemp.auth.CleartextAuth;
import org.aemp.auth.HmacSha3Auth;
import org.aemp.examples.JavaEchoNode;
import org.aemp.spi.AuthMethod;
import org.aemp.spi.Secret;
import org.aemp.spi.TlsContext;
import org.aemp.spi.TlsProvider;
import org.aemp.spi.Transcript;
import org.aemp.testing.Probe;
import org.aemp.tls.AempTlsProvider;
import org.aemp.tls.CertificateAuthority;
import org.aemp.tls.CertificateGenerator;
import org.aemp.tls.TlsAnonAuth;
import org.aemp.tls.TlsSha3512Auth;

/**
 * Certificates for the TLS tests, made once per test run with {@link CertificateGenerator} (RSA key
 * generation is slow enough to share), and {@link Watch}, which records what a node's TLS and auth
 * methods did.
 */
final class TlsFixtures {
    /** One gencert-style self-signed certificate, shared by every node that uses it. */
    static final String SELF_SIGNED = CertificateGenerator.selfSigned();
    static final CertificateAuthority CA1 = CertificateGenerator.newAuthority("interop test CA 1");
    static final CertificateAuthority CA2 = CertificateGenerator.newAuthority("interop test CA 2");
    /** Issued by CA 1, trusting CA 1 only. */
    static final String CA1_NODE_A = CA1.issueNodePem("node a");
    static final String CA1_NODE_B = CA1.issueNodePem("node b");
    /** Issued by CA 2, trusting CA 2 only. */
    static final String CA2_NODE_Y = CA2.issueNodePem("node y");
    /** A new certificate for node a: issued by CA 2, trusting CA 2 and CA 1. */
    static final String CA2_NODE_A_TRUSTING_BOTH = CA2.issueNodePem("node a, reissued") + CA1.certificatePem();

    /** Both TLS implementations. */
    static final List<SslProvider> IMPLEMENTATIONS = List.of(SslProvider.OPENSSL, SslProvider.JDK);

    private TlsFixtures() {
    }

    /**
     * A listening node with a certificate, the given TLS implementation and auth methods that
     * report to {@code watch}. Its id is what the caller gives {@link org.aemp.testing.TestNodes}.
     */
    static NodeConfig.Builder tlsNode(NodeConfig.Builder b, String pem, SslProvider implementation, Watch watch) {
        // connect_interval 10 s: a message sent on demand is dropped if its link takes longer, and
        // two TLS handshakes can take seconds on a busy 2-core machine
        return JavaEchoNode.functions(b).binds(List.of("127.0.0.1:0")).cert(pem).connectInterval(Duration.ofSeconds(10))
                .tlsProvider(watch.tlsProvider(implementation)).authMethods(watch.authMethods());
    }

    /** A listening node without certificate, with auth methods that report to {@code watch}. */
    static NodeConfig.Builder plainNode(NodeConfig.Builder b, Watch watch) {
        return JavaEchoNode.functions(b).binds(List.of("127.0.0.1:0")).authMethods(watch.authMethods());
    }

    /**
     * Sends {@code (reply, "ping", n)} from {@code from} to {@code to#echo} (see {@link JavaEchoNode#serve})
     * and checks that {@code ("ping", n)} comes back, connecting on demand.
     */
    static void assertRoundTrip(Node from, Node to, int n) {
        from.addAddresses(to.id(), to.listenAddresses());
        Probe<List<Object>> got = new Probe<>();
        PortId reply = from.newPort((ctx, msg) -> got.put(msg));
        try {
            from.send(new PortId(to.id(), "echo"), reply.toString(), "ping", n);
            assertThat(got.next()).as("echo from %s to %s", from.id(), to.id()).containsExactly("ping", n);
        } finally {
            from.kill(reply);
        }
    }

    /**
     * Records, for one node, the TLS role of each link ({@code client} or {@code server}), the TLS
     * engines, and every auth token sent ({@code sent <method>}) and checked
     * ({@code received <method>}). Thread-safe.
     */
    static final class Watch {
        final List<String> roles = new CopyOnWriteArrayList<>();
        final List<SSLEngine> engines = new CopyOnWriteArrayList<>();
        final List<String> auth = new CopyOnWriteArrayList<>();

        /** mp-tls's provider with the given implementation, recording roles and engines. */
        TlsProvider tlsProvider(SslProvider implementation) {
            AempTlsProvider real = new AempTlsProvider(implementation);
            return pem -> {
                TlsContext context = real.newContext(pem);
                return new TlsContext() {
                    @Override
                    public SSLEngine newEngine(boolean clientMode) {
                        SSLEngine engine = context.newEngine(clientMode);
                        roles.add(clientMode ? "client" : "server");
                        engines.add(engine);
                        return engine;
                    }

                    @Override
                    public String implementation() {
                        return context.implementation();
                    }
                };
            };
        }

        /** The four AEMP auth methods of mp-tls and mp-auth, recording their use. */
        List<AuthMethod> authMethods() {
            List<AuthMethod> all = new ArrayList<>();
            for (AuthMethod m : List.of(new TlsSha3512Auth(), new TlsAnonAuth(), new HmacSha3Auth(),
                    new CleartextAuth())) {
                all.add(recording(m));
            }
            return all;
        }

        private AuthMethod recording(AuthMethod m) {
            return new AuthMethod() {
                @Override
                public String name() {
                    return m.name();
                }

                @Override
                public boolean requiresTls() {
                    return m.requiresTls();
                }

                @Override
                public boolean requiresSecret() {
                    return m.requiresSecret();
                }

                @Override
                public String token(Transcript transcript, Secret secret) {
                    auth.add("sent " + m.name());
                    return m.token(transcript, secret);
                }

                @Override
                public boolean verify(Transcript transcript, Secret secret, String received) {
                    auth.add("received " + m.name());
                    return m.verify(transcript, secret, received);
                }
            };
        }
    }
}
