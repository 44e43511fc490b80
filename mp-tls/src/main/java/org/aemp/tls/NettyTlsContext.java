package org.aemp.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import javax.net.ssl.SSLEngine;
import org.aemp.spi.TlsContext;

/**
 * A node's TLS contexts for both roles, since AEMP picks the TLS client by comparing nonces and
 * either end of a TCP connection may be it. Thread-safe; engines are per link.
 *
 * <p><b>Engine ownership.</b> With the OpenSSL implementation the engine holds native memory and
 * is reference counted ({@link io.netty.util.ReferenceCounted}). Netty's
 * {@link io.netty.handler.ssl.SslHandler} releases its engine when it is removed from the pipeline
 * or the channel closes, so an engine handed to an {@code SslHandler} needs nothing more. An engine
 * that never reaches one should be released with
 * {@link io.netty.util.ReferenceCountUtil#release(Object)} (a no-op for JDK engines).
 */
final class NettyTlsContext implements TlsContext {
    private final SslContext server;
    private final SslContext client;
    private final String implementation;

    NettyTlsContext(SslContext server, SslContext client, String implementation) {
        this.server = server;
        this.client = client;
        this.implementation = implementation;
    }

    /**
     * A new engine in the given role, with the peer certificate required and verified in both.
     * See the class javadoc for who releases it.
     */
    @Override
    public SSLEngine newEngine(boolean clientMode) {
        return (clientMode ? client : server).newEngine(ByteBufAllocator.DEFAULT);
    }

    @Override
    public String implementation() {
        return implementation;
    }

    @Override
    public String toString() {
        return "TlsContext[" + implementation + "]";
    }
}
