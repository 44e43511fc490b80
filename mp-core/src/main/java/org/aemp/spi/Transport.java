package org.aemp.spi;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;

/**
 * The sockets under the AEMP links: a Netty I/O handler and the channel types that go with it
 * (native epoll, or NIO). The node takes the most preferred one that is available, or the one
 * named in its configuration. Registered in {@code META-INF/services/org.aemp.spi.Transport};
 * thread-safe.
 */
public interface Transport {

    /** The transport's name, e.g. {@code epoll} or {@code nio}. */
    String name();

    /** True if it can run here (a native library loaded, for example). */
    boolean isAvailable();

    /** Rank among available transports: higher is tried first. */
    int preference();

    /** Makes the I/O handlers of the node's event loops. */
    IoHandlerFactory ioHandlerFactory();

    /** The listening channel type. */
    Class<? extends ServerChannel> serverChannelType();

    /** The connection channel type. */
    Class<? extends SocketChannel> channelType();
}
