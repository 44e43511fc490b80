package org.aemp.internal.net;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.aemp.spi.Transport;

/** TCP through Java NIO: available everywhere, the fallback when native epoll does not load. */
public final class NioTransport implements Transport {

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public int preference() {
        return 0;
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
        return NioIoHandler.newFactory();
    }

    @Override
    public Class<? extends ServerChannel> serverChannelType() {
        return NioServerSocketChannel.class;
    }

    @Override
    public Class<? extends SocketChannel> channelType() {
        return NioSocketChannel.class;
    }
}
