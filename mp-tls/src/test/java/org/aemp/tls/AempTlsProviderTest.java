package org.aemp.tls;

import static org.aemp.tls.TestCertificates.SELF_SIGNED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ReferenceCounted;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.ServiceLoader;
import javax.net.ssl.SSLEngine;
import org.aemp.spi.TlsContext;
import org.aemp.spi.TlsProvider;
import org.assertj.core.api.Condition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AempTlsProviderTest {
    private static final Condition<Object> REFERENCE_COUNTED =
            new Condition<>(o -> o instanceof ReferenceCounted, "reference counted");
    private static final Condition<Object> NOT_REFERENCE_COUNTED =
            new Condition<>(o -> !(o instanceof ReferenceCounted), "not reference counted");

    @Test
    void openSslLoadsOnThisMachine() {
        // linux-x86_64 ships netty-tcnative-boringssl-static; if this fails, the native library stopped loading
        assertThat(OpenSsl.isAvailable()).as("OpenSsl.isAvailable(); cause: %s", OpenSsl.unavailabilityCause())
                .isTrue();
        assertThat(OpenSsl.versionString()).isEqualTo("BoringSSL");
    }

    @Test
    void defaultProviderPrefersOpenSsl() throws Exception {
        AempTlsProvider provider = new AempTlsProvider();

        assertThat(provider.sslProvider()).isEqualTo(SslProvider.OPENSSL);
        assertThat(provider.newContext(SELF_SIGNED).implementation()).isEqualTo("OpenSSL (BoringSSL)");
    }

    @Test
    void aSystemPropertyForcesTheImplementationOfTheNoArgumentProvider() throws Exception {
        String old = System.getProperty(AempTlsProvider.IMPLEMENTATION_PROPERTY);
        try {
            System.setProperty(AempTlsProvider.IMPLEMENTATION_PROPERTY, "jdk");
            assertThat(new AempTlsProvider().sslProvider()).isEqualTo(SslProvider.JDK);
            assertThat(new AempTlsProvider().newContext(SELF_SIGNED).implementation()).isEqualTo("JDK");
            System.setProperty(AempTlsProvider.IMPLEMENTATION_PROPERTY, "OpenSSL");
            assertThat(new AempTlsProvider().sslProvider()).isEqualTo(SslProvider.OPENSSL);
            System.setProperty(AempTlsProvider.IMPLEMENTATION_PROPERTY, "gnutls");
            AempTlsProvider unknown = new AempTlsProvider(); // ServiceLoader must be able to create it
            assertThatThrownBy(() -> unknown.newContext(SELF_SIGNED)).isInstanceOf(GeneralSecurityException.class)
                    .hasMessageContaining(AempTlsProvider.IMPLEMENTATION_PROPERTY)
                    .hasMessageContaining("unknown TLS implementation 'gnutls'; expected jdk or openssl");
        } finally {
            if (old == null) {
                System.clearProperty(AempTlsProvider.IMPLEMENTATION_PROPERTY);
            } else {
                System.setProperty(AempTlsProvider.IMPLEMENTATION_PROPERTY, old);
            }
        }
        assertThat(new AempTlsProvider().sslProvider()).isEqualTo(SslProvider.OPENSSL);
    }

    @Test
    void serviceLoaderFindsTheProvider() {
        List<TlsProvider> found = ServiceLoader.load(TlsProvider.class, getClass().getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();

        assertThat(found).first().isInstanceOf(AempTlsProvider.class); // the one a node with a cert takes
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void enginesRequireAndVerifyPeerCertificatesInEitherRole(SslProvider implementation) throws Exception {
        TlsContext context = new AempTlsProvider(implementation).newContext(SELF_SIGNED);
        SSLEngine client = context.newEngine(true);
        SSLEngine server = context.newEngine(false);
        try {
            assertThat(context.implementation())
                    .isEqualTo(implementation == SslProvider.JDK ? "JDK" : "OpenSSL (BoringSSL)");
            assertThat(client.getUseClientMode()).isTrue();
            assertThat(server.getUseClientMode()).isFalse();
            assertThat(server.getNeedClientAuth()).isTrue();
            for (SSLEngine e : List.of(client, server)) {
                // Netty's OpenSSL engine always lists the SSLv2Hello pseudo-protocol; BoringSSL never speaks it
                assertThat(e.getEnabledProtocols()).filteredOn(p -> !p.equals("SSLv2Hello"))
                        .containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
                assertThat(e.getSSLParameters().getEndpointIdentificationAlgorithm()).isNullOrEmpty();
            }
            assertThat(client).is(implementation == SslProvider.OPENSSL ? REFERENCE_COUNTED : NOT_REFERENCE_COUNTED);
        } finally {
            // engines that never reach an SslHandler are the caller's to release
            ReferenceCountUtil.release(client);
            ReferenceCountUtil.release(server);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void acceptsKeysWrittenByOpenssl(SslProvider implementation) throws Exception {
        for (String fixture : List.of("openssl-gencert.pem", "openssl-rsa-pkcs1.pem", "openssl-ec.pem")) {
            TlsContext context = new AempTlsProvider(implementation).newContext(PemBundleTest.fixture(fixture));
            ReferenceCountUtil.release(context.newEngine(true));
        }
    }

    @Test
    void newContextPassesOnPemErrors() {
        assertThatThrownBy(() -> new AempTlsProvider().newContext("just text"))
                .isExactlyInstanceOf(GeneralSecurityException.class)
                .hasMessageStartingWith("no private key found in the PEM text");
    }

    @Test
    void refusesReferenceCountedOpenSsl() {
        assertThatThrownBy(() -> new AempTlsProvider(SslProvider.OPENSSL_REFCNT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("provider must be OPENSSL or JDK: OPENSSL_REFCNT");
    }

    @Test
    void toStringNamesTheImplementation() {
        assertThat(new AempTlsProvider(SslProvider.JDK)).hasToString("AempTlsProvider[JDK]");
    }
}
