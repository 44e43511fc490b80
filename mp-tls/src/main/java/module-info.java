/**
 * TLS links for {@code org.aemp.core}: the {@link org.aemp.spi.TlsProvider}, the auth methods
 * {@code tls_sha3_512} and {@code tls_anon}, PEM reading and certificate generation.
 */
module org.aemp.tls {
    requires transitive org.aemp.core;
    // AempTlsProvider is chosen by Netty's SslProvider
    requires transitive io.netty.handler;
    requires io.netty.buffer;
    // BoringSSL's classes: read here, and so readable by io.netty.handler, which needs them only optionally
    requires io.netty.tcnative.classes.openssl;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires org.slf4j;

    exports org.aemp.tls;

    provides org.aemp.spi.TlsProvider with org.aemp.tls.AempTlsProvider;
    provides org.aemp.spi.AuthMethod with org.aemp.tls.TlsSha3512Auth, org.aemp.tls.TlsAnonAuth;
}
