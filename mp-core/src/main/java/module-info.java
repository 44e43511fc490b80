/**
 * The AEMP node: the API ({@code org.aemp}), the rc-file profiles ({@code org.aemp.config}) and the
 * plug-in interfaces ({@code org.aemp.spi}). Everything under {@code org.aemp.internal} stays inside
 * this module, so user code cannot reach the kernel, the network or the global service.
 *
 * <p>Codecs, auth methods, the TLS provider and services are found with {@link java.util.ServiceLoader}
 * (the {@code uses} lines below), from named modules' {@code provides} and from the class path's
 * {@code META-INF/services} files alike.
 */
module org.aemp.core {
    // DataConn hands the application a Netty Channel
    requires transitive io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport.classes.epoll;
    // the rc-file reader (relaxed JSON)
    requires com.fasterxml.jackson.core;
    requires org.slf4j;

    exports org.aemp;
    exports org.aemp.config;
    exports org.aemp.spi;

    uses org.aemp.spi.Codec;
    uses org.aemp.spi.AuthMethod;
    uses org.aemp.spi.TlsProvider;
    uses org.aemp.Service;
}
