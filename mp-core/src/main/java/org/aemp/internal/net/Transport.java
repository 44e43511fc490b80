package org.aemp.internal.net;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Arrays;

/**
 * The sockets under the links: a Netty I/O handler and the channel types that go with it. Linux's
 * native epoll where its library loads, else Java NIO, which runs everywhere; or the one a node's
 * configuration names ({@code NodeConfig.transport}). Not a plug-in: the two are all there is, and
 * choosing one is the network's business.
 */
enum Transport {
    /** TCP through Linux's native epoll, preferred where its native library loads. */
    EPOLL("epoll") {
        @Override
        boolean isAvailable() {
            try {
                return Epoll.isAvailable();
            } catch (Throwable t) {
                return false;
            }
        }

        @Override
        IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannelType() {
            return EpollServerSocketChannel.class;
        }

        @Override
        Class<? extends SocketChannel> channelType() {
            return EpollSocketChannel.class;
        }
    },

    /** TCP through Java NIO: available everywhere, the fallback when epoll does not load. */
    NIO("nio") {
        @Override
        boolean isAvailable() {
            return true;
        }

        @Override
        IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannelType() {
            return NioServerSocketChannel.class;
        }

        @Override
        Class<? extends SocketChannel> channelType() {
            return NioSocketChannel.class;
        }
    };

    private final String wireName;

    Transport(String name) {
        this.wireName = name;
    }

    /**
     * The transport named {@code name}, or, for null, the most preferred one that runs here.
     *
     * @throws IllegalArgumentException if there is no transport of that name (the message lists them)
     * @throws IllegalStateException if the named one cannot run here
     */
    static Transport choose(String name) {
        if (name == null) {
            return EPOLL.isAvailable() ? EPOLL : NIO;
        }
        for (Transport t : values()) {
            if (t.wireName.equals(name)) {
                if (!t.isAvailable()) {
                    throw new IllegalStateException("transport '" + name
                            + "' cannot run here (its native library did not load)");
                }
                return t;
            }
        }
        throw new IllegalArgumentException("No transport named '" + name + "'; available: "
                + Arrays.stream(values()).map(Transport::wireName).toList());
    }

    /** The name configurations use: {@code epoll} or {@code nio}. */
    String wireName() {
        return wireName;
    }

    /** True if it can run here (a native library loaded, for example). */
    abstract boolean isAvailable();

    /** Makes the I/O handlers of the node's event loops. */
    abstract IoHandlerFactory ioHandlerFactory();

    /** The listening channel type. */
    abstract Class<? extends ServerChannel> serverChannelType();

    /** The connection channel type. */
    abstract Class<? extends SocketChannel> channelType();
}
